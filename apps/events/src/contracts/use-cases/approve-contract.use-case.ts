import { Injectable } from '@nestjs/common';
import { ApproveContractDto } from '@app/shared/api/events/contracts.dto';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractActivator } from '../contract-activator';
import { ContractRepository } from '../contract.repository';
import { contractView } from '../contract.view';
import { planEvents } from '../promise-planner';
import { lockContract, requireStatus } from './contract-lookup';

/** pending_review → active: approval activates (materialises the events) in the same transaction. Idempotent. */
@Injectable()
export class ApproveContractUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly activator: ContractActivator,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: ApproveContractDto): Promise<ContractView> {
    return this.db.run(async (tx) => {
      const c = await lockContract(tx, this.contracts, ctx.tenantId, input.id);
      if (c.status === 'active' && c.review.approval) return contractView(c);
      requireStatus(c, ['pending_review'], 'approved');
      const now = this.clock.now();
      const approved = { ...c, review: { ...c.review, approval: { notes: input.notes, by: ctx.actor.id, at: now.toISOString() } } };
      await this.outbox.append(tx, ctx, [
        {
          // the activation that follows carries the contract's new version (one version, one event)
          type: 'BOOKING_APPROVED',
          aggregateId: c.id,
          payload: {
            bookingId: c.id,
            ...(c.customer.id ? { clientId: c.customer.id } : {}),
            title: c.title,
            approvedBy: ctx.actor.id,
            approvedAt: now.toISOString(),
            ...(input.notes ? { notes: input.notes } : {}),
            eventDates: planEvents(c).map((p) => p.scheduledDate.toISOString()),
            occurredAt: now.toISOString(),
          },
        },
      ]);
      return contractView(await this.activator.activate(tx, ctx, approved));
    });
  }
}
