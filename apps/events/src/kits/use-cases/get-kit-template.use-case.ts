import { Injectable } from '@nestjs/common';
import { KitTemplateParams } from '@app/shared/api/events/kits.dto';
import type { KitTemplateView } from '@app/shared/api/events/kits.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { KitTemplateRepository } from '../kit-template.repository';
import { kitTemplateView } from '../kit.view';

@Injectable()
export class GetKitTemplateUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly templates: KitTemplateRepository,
  ) {}

  async execute(ctx: RequestContext, input: KitTemplateParams): Promise<KitTemplateView> {
    const t = await this.templates.find(this.db.reader, ctx.tenantId, input.id);
    if (!t) throw DomainError.notFound('kit template', input.id);
    return kitTemplateView(t);
  }
}
