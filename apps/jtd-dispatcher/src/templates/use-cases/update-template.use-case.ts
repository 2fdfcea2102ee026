import { Injectable } from '@nestjs/common';
import { JtdTemplateView, UpdateJtdTemplateDto } from '@app/shared/api/jtd/jtd-templates.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { TemplateRepository } from '../template.repository';
import { checkPlaceholders, templateView } from '../template.view';

/** Changes the fields sent of a tenant template (system templates are read-only); optimistic on `version`. */
@Injectable()
export class UpdateTemplateUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly templates: TemplateRepository,
  ) {}

  async execute(ctx: RequestContext, dto: UpdateJtdTemplateDto): Promise<JtdTemplateView> {
    const current = await this.templates.byId(this.db.reader, ctx.tenantId, dto.id);
    if (!current) throw DomainError.notFound('template', dto.id);
    if (current.tenantId === null) throw DomainError.rule('system templates are read-only; create a tenant template with the same key');
    const declared = (dto.variables ?? current.variables).map((v) => (typeof v === 'string' ? v : v.name));
    checkPlaceholders(dto.content ?? current.content, dto.subject ?? current.subject ?? undefined, declared);
    const { id, version, ...changes } = dto;
    const updated = await this.db.run((tx) => this.templates.update(tx, ctx.tenantId, id, version, changes));
    if (updated === 'stale') throw DomainError.versionConflict(version, current.version);
    return templateView(updated);
  }
}
