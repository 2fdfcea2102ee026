import { Injectable } from '@nestjs/common';
import type { ContractIdParams } from '@app/shared/api/events/common.dto';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractStatusRecorder } from '../contract-status-recorder';
import { ContractRepository } from '../contract.repository';
import { contractView } from '../contract.view';
import { planEvents } from '../promise-planner';
import { lockContract } from './contract-lookup';

/** draft | changes_requested | rejected (when resubmission is allowed) → pending_review. Submitting twice is a no-op. */
@Injectable()
export class SubmitContractUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly statuses: ContractStatusRecorder,
  ) {}

  async execute(ctx: RequestContext, input: ContractIdParams): Promise<ContractView> {
    return this.db.run(async (tx) => {
      const c = await lockContract(tx, this.contracts, ctx.tenantId, input.id);
      if (c.status === 'pending_review') return contractView(c);
      const resubmission = c.status === 'changes_requested' || c.status === 'rejected';
      if (c.status === 'rejected' && !c.review.rejection?.allowResubmission) {
        throw DomainError.rule('this booking was rejected without allowing resubmission', { status: c.status });
      }
      if (!['draft', 'changes_requested', 'rejected'].includes(c.status)) {
        throw DomainError.rule(`a ${c.status} contract cannot be submitted for review`, { status: c.status });
      }
      const now = this.clock.now();
      const plan = planEvents(c);
      const saved = await this.contracts.save(
        tx,
        { ...c, status: 'pending_review', needsReapproval: false, review: { ...c.review, submittedAt: now.toISOString() } },
        now,
      );
      await this.outbox.append(tx, ctx, [
        {
          type: 'BOOKING_SUBMITTED',
          aggregateId: c.id,
          aggregateVersion: saved.version,
          payload: {
            bookingId: c.id,
            ...(c.customer.id ? { clientId: c.customer.id } : {}),
            title: c.title,
            submittedBy: ctx.actor.id,
            submittedAt: now.toISOString(),
            eventDates: plan.map((p) => p.scheduledDate.toISOString()),
            isResubmission: resubmission,
            occurredAt: now.toISOString(),
          },
        },
      ]);
      await this.statuses.record(tx, ctx, [{ before: c, after: saved, reason: resubmission ? 'Resubmitted for review' : 'Submitted for review' }], now);
      return contractView(saved);
    });
  }
}
