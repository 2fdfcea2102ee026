import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CancelContractDto } from '@app/shared/api/events/contracts.dto';
import type { CancelledContractView } from '@app/shared/api/events/contracts.views';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { Outbox } from '@app/shared/messaging/outbox';
import { secondsSince } from '@app/shared/status-machine/status-machine';
import { Clock } from '@app/shared/time/clock';
import { ContractEventRepository } from '../../contract-events/contract-event.repository';
import { EventAuditRepository } from '../../contract-events/event-audit.repository';
import { EventFlowService } from '../../status-config/event-flow.service';
import { ContractRepository } from '../contract.repository';
import { contractView } from '../contract.view';
import { lockContract, requireStatus } from './contract-lookup';

/**
 * Cancels a booking or an active contract with a reason. Every open event (not in a terminal status of its
 * flow) is cancelled with it, whatever transitions the flow defines: the contract's end closes its events.
 * Each is audited and announced, and listed in BOOKING_CANCELLED.affectedEventIds. Cancelling twice is a no-op.
 */
@Injectable()
export class CancelContractUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contracts: ContractRepository,
    private readonly events: ContractEventRepository,
    private readonly audit: EventAuditRepository,
    private readonly flows: EventFlowService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CancelContractDto): Promise<CancelledContractView> {
    return this.dataSource.transaction(async (tx) => {
      const c = await lockContract(tx, this.contracts, ctx.tenantId, input.id);
      if (c.status === 'cancelled') return { ...contractView(c), affectedEventIds: [] };
      requireStatus(c, ['draft', 'pending_review', 'changes_requested', 'rejected', 'active'], 'cancelled');
      const now = this.clock.now();
      const flows = await this.flows.loadAll(tx, ctx.tenantId);
      const open = (await this.events.ofContract(tx, ctx.tenantId, c.id, { lock: true })).filter((e) => {
        const s = flows[e.eventType].status(e.status);
        return !s?.isTerminal && flows[e.eventType].cancelledStatus();
      });
      const moves = open.map((e) => ({ e, to: flows[e.eventType].cancelledStatus()! }));
      for (const to of new Set(moves.map((m) => m.to))) {
        const ids = moves.filter((m) => m.to === to).map((m) => m.e.id);
        await tx.query(
          `UPDATE contract_events SET status = $3, status_changed_at = $4, version = version + 1, updated_at = $4 WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
          [ctx.tenantId, ids, to, now.toISOString()],
        );
      }
      const reason = `Contract cancelled: ${input.reason}`;
      await this.audit.append(
        tx,
        moves.map(({ e, to }) => ({
          tenantId: ctx.tenantId,
          eventId: e.id,
          field: 'status',
          from: e.status,
          to,
          actor: ctx.actor,
          source: sourceOf(ctx.actor),
          reason,
          timeInPreviousStatus: secondsSince(e.statusChangedAt, now),
          at: now,
        })),
      );
      const saved = await this.contracts.save(tx, { ...c, status: 'cancelled', closedAt: now, cancelReason: input.reason }, now);
      const affectedEventIds = moves.map((m) => m.e.id);
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
        ...moves.map(({ e, to }) => ({
          type: 'CONTRACT_EVENT_STATUS_CHANGED',
          aggregateId: e.id,
          aggregateVersion: e.version + 1,
          payload: {
            eventId: e.id,
            contractId: c.id,
            eventType: e.eventType,
            taskId: e.taskId,
            previousStatus: e.status,
            newStatus: to,
            reason,
            changedAt: now.toISOString(),
            source: sourceOf(ctx.actor),
            occurredAt: now.toISOString(),
          },
        })),
      ]);
      return { ...contractView(saved), affectedEventIds };
    });
  }
}
