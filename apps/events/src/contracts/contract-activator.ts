import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { NewDomainEvent } from '@app/shared/messaging/envelope';
import type { Db } from '@app/shared/db/sql';
import { Outbox } from '@app/shared/messaging/outbox';
import { StatusHistoryWriter } from '@app/shared/status-machine/status-history';
import { Clock } from '@app/shared/time/clock';
import { NewContractEventRow, ContractEventRepository } from '../contract-events/contract-event.repository';
import { createdPayload } from '../contract-events/event.view';
import { EventFlowService } from '../status-config/event-flow.service';
import { ContractStatusRecorder } from './contract-status-recorder';
import { ContractRepository, ContractRow } from './contract.repository';
import { PlannedEvent, planEvents } from './promise-planner';

export interface Activation {
  /** The request that activates it: its actor and correlation id go on the audit and outbox rows. */
  ctx: RequestContext;
  /** Locked by the caller's transaction. */
  contract: ContractRow;
  /** planEvents(contract), when the caller has it already. */
  plan?: PlannedEvent[];
}

/**
 * Materialises contracts' promises as events, in the caller's transaction, with the contract rows locked:
 * concurrent or repeated activations of one contract wait on the lock and then see it active. The TaskIDs,
 * the events and their first status history rows of every contract are one statement; the outbox rows follow.
 */
@Injectable()
export class ContractActivator {
  constructor(
    private readonly contracts: ContractRepository,
    private readonly events: ContractEventRepository,
    private readonly history: StatusHistoryWriter,
    private readonly flows: EventFlowService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly statuses: ContractStatusRecorder,
  ) {}

  async activate(tx: Db, ctx: RequestContext, contract: ContractRow): Promise<ContractRow> {
    const [saved] = await this.activateMany(tx, [{ ctx, contract }]);
    return saved;
  }

  /**
   * Activates contracts of one tenant together (each gets its own contiguous block of TaskIDs, in the
   * order given). The promises must have been planned without error (planEvents throws otherwise).
   */
  async activateMany(tx: Db, activations: Activation[]): Promise<ContractRow[]> {
    if (activations.length === 0) return [];
    const tenantId = activations[0].ctx.tenantId;
    if (activations.some((a) => a.ctx.tenantId !== tenantId || a.contract.tenantId !== tenantId)) throw new Error('activateMany takes contracts of one tenant');
    const now = this.clock.now();
    const plans = activations.map((a) => a.plan ?? planEvents(a.contract));
    const flows = await this.flows.loadAll(tx, tenantId);
    // Everything that does not need the TaskIDs comes before reserving them (see insertNumbered).
    const saved = await this.contracts.saveMany(
      tx,
      tenantId,
      activations.map(({ contract }, i) => ({ ...contract, status: 'active', activatedAt: now, totalEvents: plans[i].length, needsReapproval: false })),
      now,
    );
    const unnumbered = activations.map(({ contract }, i) =>
      plans[i].map((p) => ({
        id: randomUUID(),
        contractId: contract.id,
        eventType: p.eventType,
        title: p.title,
        status: flows[p.eventType].initial.code,
        scheduledDate: p.scheduledDate,
        originalDate: p.scheduledDate,
        sequenceNumber: p.sequenceNumber,
        totalOccurrences: p.totalOccurrences,
        promiseKey: p.promiseKey,
        partId: p.partId,
        promiseQty: p.promiseQty,
        quantity: 1,
        isUnlimited: false,
        amount: p.amount,
        currency: p.currency,
        source: 'system',
      })),
    );
    const history = this.history.insertOf(
      activations.flatMap(({ ctx }, i) =>
        unnumbered[i].map((r) => ({
          tenantId,
          subjectId: r.id,
          from: null,
          to: r.status,
          actor: ctx.actor,
          source: sourceOf(ctx.actor),
          reason: 'Event created at contract activation',
          secondsInPrevious: null,
          isValidTransition: true,
          at: now,
        })),
      ),
    );
    const taskIds = await this.events.insertNumbered(tx, tenantId, unnumbered.flat(), now, history);
    let next = 0;
    for (const [i, { ctx, contract }] of activations.entries()) {
      const rows: NewContractEventRow[] = unnumbered[i].map((r) => ({ ...r, tenantId, taskId: taskIds[next++] }));
      await this.outbox.append(tx, ctx, this.announcements(ctx, contract, saved[i], rows, now));
      await this.statuses.record(
        tx,
        ctx,
        [{ before: contract, after: saved[i], reason: contract.status === 'pending_review' ? 'Approved' : 'Activated' }],
        now,
      );
    }
    return saved;
  }

  private announcements(ctx: RequestContext, contract: ContractRow, saved: ContractRow, rows: NewContractEventRow[], now: Date): NewDomainEvent[] {
    return [
      {
        type: 'CONTRACT_ACTIVATED',
        aggregateId: contract.id,
        aggregateVersion: saved.version,
        payload: {
          contractId: contract.id,
          contractNumber: contract.contractNumber,
          title: contract.title,
          customer: contract.customer,
          startDate: contract.startDate,
          endDate: contract.endDate,
          timezone: contract.timezone,
          totalEvents: rows.length,
          activatedAt: now.toISOString(),
          ...(contract.accountManagerId ? { accountManagerId: contract.accountManagerId } : {}),
          occurredAt: now.toISOString(),
        },
      },
      {
        type: 'EVENT_INSTANCES_GENERATED',
        aggregateId: contract.id,
        payload: {
          bookingId: contract.id,
          contractId: contract.id,
          ...(contract.customer.id ? { clientId: contract.customer.id } : {}),
          eventIds: rows.map((r) => r.id),
          generatedBy: ctx.actor.id,
          generatedAt: now.toISOString(),
          totalEvents: rows.length,
          occurredAt: now.toISOString(),
        },
      },
      ...rows.map((r) => ({
        type: 'CONTRACT_EVENT_CREATED',
        aggregateId: r.id,
        aggregateVersion: 1,
        payload: { ...createdPayload(r), occurredAt: now.toISOString() },
      })),
    ];
  }
}
