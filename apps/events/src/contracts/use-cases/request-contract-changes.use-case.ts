import { Injectable } from '@nestjs/common';
import { RequestContractChangesDto } from '@app/shared/api/events/contracts.dto';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractStatusRecorder } from '../contract-status-recorder';
import { ContractRepository } from '../contract.repository';
import { contractView } from '../contract.view';
import { lockContract, requireStatus } from './contract-lookup';

/** pending_review → changes_requested: named fields, why, and a suggested value; the author edits and resubmits. */
@Injectable()
export class RequestContractChangesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly statuses: ContractStatusRecorder,
  ) {}

  async execute(ctx: RequestContext, input: RequestContractChangesDto): Promise<ContractView> {
    return this.db.run(async (tx) => {
      const c = await lockContract(tx, this.contracts, ctx.tenantId, input.id);
      requireStatus(c, ['pending_review'], 'sent back for changes');
      const now = this.clock.now();
      const changes = input.changes.map((ch) => ({
        field: ch.field,
        reason: ch.reason,
        ...(ch.suggestedValue !== undefined ? { suggestedValue: ch.suggestedValue } : {}),
      }));
      const saved = await this.contracts.save(
        tx,
        { ...c, status: 'changes_requested', review: { ...c.review, changesRequested: { changes, by: ctx.actor.id, at: now.toISOString() } } },
        now,
      );
      await this.outbox.append(tx, ctx, [
        {
          type: 'BOOKING_CHANGES_REQUESTED',
          aggregateId: c.id,
          aggregateVersion: saved.version,
          payload: {
            bookingId: c.id,
            ...(c.customer.id ? { clientId: c.customer.id } : {}),
            requestedBy: ctx.actor.id,
            requestedAt: now.toISOString(),
            changes,
            occurredAt: now.toISOString(),
          },
        },
      ]);
      await this.statuses.record(tx, ctx, [{ before: c, after: saved, reason: `Changes requested: ${changes.map((ch) => ch.field).join(', ')}` }], now);
      return contractView(saved);
    });
  }
}
