import { Injectable } from '@nestjs/common';
import { JtdTemplateRef, JtdTemplateView } from '@app/shared/api/jtd/jtd-templates.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { TemplateRepository } from '../template.repository';
import { templateView } from '../template.view';

/** One template of the tenant, or a system one. */
@Injectable()
export class GetTemplateUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly templates: TemplateRepository,
  ) {}

  async execute(ctx: RequestContext, input: JtdTemplateRef): Promise<JtdTemplateView> {
    const t = await this.templates.byId(this.db.reader, ctx.tenantId, input.id);
    if (!t) throw DomainError.notFound('template', input.id);
    return templateView(t);
  }
}
