import { Injectable } from '@nestjs/common';
import { CancelContractDto } from '@app/shared/api/events/contracts.dto';
import type { CancelledContractView } from '@app/shared/api/events/contracts.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../../contract-events/contract-event.repository';
import { EventStatusMover } from '../../contract-events/event-status-mover';
import { EventFlowService } from '../../status-config/event-flow.service';
import { ContractStatusRecorder } from '../contract-status-recorder';
import { ContractRepository } from '../contract.repository';
import { contractView } from '../contract.view';
import { lockContract, requireStatus } from './contract-lookup';

/**
 * Cancels a booking or an active contract with a reason. Every open event (not in a terminal status of its
 * flow) is cancelled with it, whatever transitions the flow defines: the contract's end closes its events.
 * Each move is in the status history and announced, and listed in BOOKING_CANCELLED.affectedEventIds.
 * Cancelling twice is a no-op.
 */
@Injectable()
export class CancelContractUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly events: ContractEventRepository,
    private readonly mover: EventStatusMover,
    private readonly flows: EventFlowService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly statuses: ContractStatusRecorder,
  ) {}

  async execute(ctx: RequestContext, input: CancelContractDto): Promise<CancelledContractView> {
    return this.db.run(async (tx) => {
      const c = await lockContract(tx, this.contracts, ctx.tenantId, input.id);
      if (c.status === 'cancelled') return { ...contractView(c), affectedEventIds: [] };
      requireStatus(c, ['draft', 'pending_review', 'changes_requested', 'rejected', 'active'], 'cancelled');
      const now = this.clock.now();
      const flows = await this.flows.loadAll(tx, ctx.tenantId);
      const moves = (await this.events.ofContract(tx, ctx.tenantId, c.id, { lock: true }))
        .map((event) => ({ event, flow: flows[event.eventType], to: flows[event.eventType].cancelledStatus() }))
        .filter((m): m is typeof m & { to: string } => m.to !== null && !m.flow.status(m.event.status)?.isTerminal);
      const saved = await this.contracts.save(tx, { ...c, status: 'cancelled', closedAt: now, cancelReason: input.reason }, now);
      const affectedEventIds = moves.map((m) => m.event.id);
      await this.outbox.append(tx, ctx, [
        {
          type: 'BOOKING_CANCELLED',
          aggregateId: c.id,
          aggregateVersion: saved.version,
          payload: {
            bookingId: c.id,
            ...(c.customer.id ? { clientId: c.customer.id } : {}),
            cancelledBy: ctx.actor.id,
            cancelledAt: now.toISOString(),
            reason: input.reason,
            affectedEventIds,
            occurredAt: now.toISOString(),
          },
        },
      ]);
      await this.statuses.record(tx, ctx, [{ before: c, after: saved, reason: input.reason }], now);
      // The contract's end closes its events whatever their flows say: forced moves, each in the history.
      await this.mover.close(tx, ctx, moves, `Contract cancelled: ${input.reason}`);
      return { ...contractView(saved), affectedEventIds };
    });
  }
}
