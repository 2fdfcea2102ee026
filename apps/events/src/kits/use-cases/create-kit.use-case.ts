import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CreateKitDto } from '@app/shared/api/events/kits.dto';
import type { KitView } from '@app/shared/api/events/kits.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { KitRepository, KitRow } from '../kit.repository';
import { KitTemplateRepository } from '../kit-template.repository';
import { kitView } from '../kit.view';
import { saveKit } from './kit-lookup';

/** Registers a physical kit made from a template: its components are copied, each in the kit's condition. */
@Injectable()
export class CreateKitUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly templates: KitTemplateRepository,
    private readonly kits: KitRepository,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CreateKitDto): Promise<KitView> {
    return this.db.run(async (tx) => {
      const t = await this.templates.find(tx, ctx.tenantId, input.templateId);
      if (!t) throw DomainError.notFound('kit template', input.templateId);
      if (t.archivedAt) throw DomainError.rule(`kit template ${t.id} is deleted: no new kits are made from it`, { kitTemplateId: t.id });
      const now = this.clock.now();
      const condition = input.condition ?? 'good';
      const kit: Pick<KitRow, 'id' | 'templateId' | 'label' | 'condition' | 'status' | 'components'> = {
        id: randomUUID(),
        templateId: t.id,
        label: input.label,
        condition,
        status: 'available',
        components: t.components.map((c) => ({ id: c.id, name: c.name, quantity: c.quantity, condition, missing: false })),
      };
      if (!(await this.kits.insert(tx, ctx.tenantId, kit, now))) {
        throw new DomainError(ErrorCode.CONFLICT, `the label ${input.label} is another kit's`, undefined, { label: ['label is already another kit’s'] });
      }
      const saved = (await this.kits.find(tx, ctx.tenantId, kit.id))!;
      await saveKit(tx, this.kits, ctx, null, saved, { action: 'created', assignmentId: null, details: { templateId: t.id, label: kit.label }, at: now });
      return kitView(saved, null);
    });
  }
}
