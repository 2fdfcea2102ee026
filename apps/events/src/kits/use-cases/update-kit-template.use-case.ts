import { Injectable } from '@nestjs/common';
import { UpdateKitTemplateDto } from '@app/shared/api/events/kits.dto';
import type { KitTemplateView } from '@app/shared/api/events/kits.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { KitTemplateRepository } from '../kit-template.repository';
import { kitTemplateView } from '../kit.view';
import { templateComponents } from './create-kit-template.use-case';

/** Edits a template at the version read; kits made before keep their components. */
@Injectable()
export class UpdateKitTemplateUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly templates: KitTemplateRepository,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: UpdateKitTemplateDto): Promise<KitTemplateView> {
    const components = input.components ? templateComponents(input.components) : undefined;
    return this.db.run(async (tx) => {
      const t = await this.templates.find(tx, ctx.tenantId, input.id, { lock: true });
      if (!t) throw DomainError.notFound('kit template', input.id);
      if (t.version !== input.version) throw DomainError.versionConflict(input.version, t.version);
      if (t.archivedAt) throw DomainError.rule(`kit template ${t.id} is deleted`, { kitTemplateId: t.id });
      const next = {
        id: t.id,
        name: input.name ?? t.name,
        description: input.description !== undefined ? input.description : t.description,
        components: components ?? t.components,
      };
      if (next.name === t.name && next.description === t.description && JSON.stringify(next.components) === JSON.stringify(t.components))
        return kitTemplateView(t);
      await this.templates.update(tx, ctx.tenantId, next, this.clock.now());
      return kitTemplateView((await this.templates.find(tx, ctx.tenantId, t.id))!);
    });
  }
}
