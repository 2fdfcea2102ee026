import { Injectable } from '@nestjs/common';
import { RejectContractDto } from '@app/shared/api/events/contracts.dto';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractStatusRecorder } from '../contract-status-recorder';
import { ContractRepository } from '../contract.repository';
import { contractView } from '../contract.view';
import { lockContract, requireStatus } from './contract-lookup';

/** pending_review → rejected, with the reason and whether the booking may come back. */
@Injectable()
export class RejectContractUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly statuses: ContractStatusRecorder,
  ) {}

  async execute(ctx: RequestContext, input: RejectContractDto): Promise<ContractView> {
    return this.db.run(async (tx) => {
      const c = await lockContract(tx, this.contracts, ctx.tenantId, input.id);
      requireStatus(c, ['pending_review'], 'rejected');
      const now = this.clock.now();
      const rejection = { reason: input.reason, allowResubmission: input.allowResubmission, by: ctx.actor.id, at: now.toISOString() };
      const saved = await this.contracts.save(tx, { ...c, status: 'rejected', review: { ...c.review, rejection } }, now);
      await this.outbox.append(tx, ctx, [
        {
          type: 'BOOKING_REJECTED',
          aggregateId: c.id,
          aggregateVersion: saved.version,
          payload: {
            bookingId: c.id,
            ...(c.customer.id ? { clientId: c.customer.id } : {}),
            rejectedBy: ctx.actor.id,
            rejectedAt: now.toISOString(),
            reason: input.reason,
            allowResubmission: input.allowResubmission,
            occurredAt: now.toISOString(),
          },
        },
      ]);
      await this.statuses.record(tx, ctx, [{ before: c, after: saved, reason: input.reason }], now);
      return contractView(saved);
    });
  }
}
