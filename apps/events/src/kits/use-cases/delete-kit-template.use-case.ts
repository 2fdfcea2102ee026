import { Injectable } from '@nestjs/common';
import { KitTemplateParams } from '@app/shared/api/events/kits.dto';
import type { KitTemplateView } from '@app/shared/api/events/kits.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { KitTemplateRepository } from '../kit-template.repository';
import { kitTemplateView } from '../kit.view';

/** Archives a template (idempotent): kits made from it keep naming it. */
@Injectable()
export class DeleteKitTemplateUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly templates: KitTemplateRepository,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: KitTemplateParams): Promise<KitTemplateView> {
    return this.db.run(async (tx) => {
      const t = await this.templates.find(tx, ctx.tenantId, input.id, { lock: true });
      if (!t) throw DomainError.notFound('kit template', input.id);
      if (!t.archivedAt) await this.templates.archive(tx, ctx.tenantId, t.id, this.clock.now());
      return kitTemplateView((await this.templates.find(tx, ctx.tenantId, t.id))!);
    });
  }
}
