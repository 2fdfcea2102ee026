import { Injectable } from '@nestjs/common';
import { CreateJtdTemplateDto, JtdTemplateView } from '@app/shared/api/jtd/jtd-templates.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { MasterDataRepository } from '../../master-data/master-data.repository';
import { TemplateRepository } from '../template.repository';
import { checkPlaceholders, templateView } from '../template.view';

/** A tenant template: every placeholder declared; SMS and WhatsApp name the provider's approved template. */
@Injectable()
export class CreateTemplateUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly templates: TemplateRepository,
    private readonly master: MasterDataRepository,
  ) {}

  async execute(ctx: RequestContext, dto: CreateJtdTemplateDto): Promise<JtdTemplateView> {
    checkPlaceholders(
      dto.content,
      dto.subject,
      dto.variables.map((v) => v.name),
    );
    if (['whatsapp', 'sms'].includes(dto.channel) && !dto.providerTemplateId) {
      throw DomainError.validation({ providerTemplateId: [`${dto.channel} templates need the provider's approved template id`] });
    }
    if (dto.sourceType !== undefined && !(await this.master.isSourceType(this.db.reader, dto.sourceType))) {
      throw DomainError.validation({ sourceType: [`unknown source type ${dto.sourceType}`] });
    }
    const t = await this.db.run((tx) =>
      this.templates.insert(tx, ctx.tenantId, {
        templateKey: dto.templateKey,
        name: dto.name,
        channelCode: dto.channel,
        sourceTypeCode: dto.sourceType ?? null,
        subject: dto.subject ?? null,
        content: dto.content,
        contentHtml: dto.contentHtml ?? null,
        variables: dto.variables,
        providerTemplateId: dto.providerTemplateId ?? null,
      }),
    );
    if (!t) throw new DomainError(ErrorCode.CONFLICT, `template ${dto.templateKey} for ${dto.channel} already exists`);
    return templateView(t);
  }
}
