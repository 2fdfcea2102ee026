import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MAX_EVENTS_PER_ANNOUNCEMENT } from '@app/shared/catalog/events-service.catalog';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { NewDomainEvent } from '@app/shared/messaging/envelope';
import type { Db } from '@app/shared/db/sql';
import { Outbox, OutboxGroup } from '@app/shared/messaging/outbox';
import { StatusHistoryWriter } from '@app/shared/status-machine/status-history';
import { Clock } from '@app/shared/time/clock';
import { NewContractEventRow, ContractEventRepository } from '../contract-events/contract-event.repository';
import { formatTaskId } from '../contract-events/task-id.allocator';
import { createdPayload } from '../contract-events/event.view';
import { EventFlowService } from '../status-config/event-flow.service';
import { ContractStatusRecorder } from './contract-status-recorder';
import { ContractRepository, ContractRow } from './contract.repository';
import { PlannedEvent, planEvents } from './promise-planner';
import { StatementPipeline } from './statement-pipeline';

export interface Activation {
  /** The request that activates it: its actor and correlation id go on the audit and outbox rows. */
  ctx: RequestContext;
  /** Locked by the caller's transaction. */
  contract: ContractRow;
  /** planEvents(contract), when the caller has it already. */
  plan?: PlannedEvent[];
}

/**
 * Events per statement. An activation is written in chunks of this many events (events with their history
 * rows in one statement, their announcement, a message per contract, in the next), each built while
 * Postgres writes the one before, so what the service holds at once does not grow with the activation (a
 * 5,000-event batch held every row, envelope and serialised parameter at once: the events app's memory
 * peak). Small enough that a chunk is mostly collected young rather than promoted while its statement runs
 * (250 and 500 were as fast; 250 left the lower peak), large enough that the statements' fixed cost stays
 * small.
 */
export const ACTIVATION_CHUNK = MAX_EVENTS_PER_ANNOUNCEMENT;

/**
 * Materialises contracts' promises as events, in the caller's transaction, with the contract rows locked:
 * concurrent or repeated activations of one contract wait on the lock and then see it active. Everything
 * that does not need TaskIDs (contracts, their announcements and status history) is written first; then
 * the TaskIDs of every contract are reserved at once (the tenant's counter row stays locked until commit)
 * and the events, their history rows and their announcements follow in chunks.
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
    const ids = plans.map((plan) => plan.map(() => randomUUID()));
    const flows = await this.flows.loadAll(tx, tenantId);
    // Statements that do not need each other's answers are sent together, so each step is one wait, not one per statement.
    const [saved, last] = await Promise.all([
      this.contracts.saveMany(
        tx,
        tenantId,
        activations.map(({ contract }, i) => ({ ...contract, status: 'active', activatedAt: now, totalEvents: plans[i].length, needsReapproval: false })),
        now,
      ),
      this.statuses.lastChanges(
        tx,
        tenantId,
        activations.map((a) => a.contract.id),
      ),
    ]);
    const pipeline = new StatementPipeline();
    // Contracts announced and their status history written before the TaskIDs are reserved: the counter row stays locked from then until commit.
    await pipeline.add([
      () =>
        this.statuses.recordMany(
          tx,
          activations.map(({ ctx, contract }, i) => ({
            ctx,
            before: contract,
            after: saved[i],
            reason: contract.status === 'pending_review' ? 'Approved' : 'Activated',
          })),
          now,
          { last, announceFirst: activations.map(({ ctx, contract }, i) => ({ ctx, events: announcements(ctx, contract, saved[i], ids[i], now) })) },
        ),
    ]);
    const total = plans.reduce((n, plan) => n + plan.length, 0);
    if (total === 0) {
      await pipeline.drain();
      return saved;
    }
    // After a failure above, this fails too (the transaction is aborted): drain throws the cause.
    let next = await this.events.reserveTaskNumbers(tx, tenantId, total).catch(async (e: unknown) => {
      await pipeline.drain();
      throw e;
    });
    for (const chunk of chunksOf(plans, ACTIVATION_CHUNK)) {
      const rows = chunk.map(([i, k], n): NewContractEventRow => {
        const p = plans[i][k];
        return {
          id: ids[i][k],
          tenantId,
          taskId: formatTaskId(next + n),
          contractId: activations[i].contract.id,
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
        };
      });
      const first = next;
      const insertEvents = () =>
        this.events.insertReserved(
          tx,
          tenantId,
          rows,
          first,
          now,
          this.history.insertOf(
            chunk.map(([i], n) => ({
              tenantId,
              subjectId: rows[n].id,
              from: null,
              to: rows[n].status,
              actor: activations[i].ctx.actor,
              source: sourceOf(activations[i].ctx.actor),
              reason: 'Event created at contract activation',
              secondsInPrevious: null,
              isValidTransition: true,
              at: now,
            })),
          ),
        );
      const announce = () =>
        this.outbox.appendGroups(
          tx,
          announcementsOf(chunk, rows, (i) => activations[i].ctx, now),
        );
      await pipeline.add([insertEvents, announce]);
      next += rows.length;
    }
    await pipeline.drain();
    return saved;
  }
}

/** Positions `[contract, event]` of the plans' events in order, `size` at a time. */
function* chunksOf(plans: PlannedEvent[][], size: number): Generator<Array<[number, number]>> {
  let chunk: Array<[number, number]> = [];
  for (const [i, plan] of plans.entries()) {
    for (let k = 0; k < plan.length; k++) {
      chunk.push([i, k]);
      if (chunk.length === size) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * The chunk's announcements: one CONTRACT_EVENTS_CREATED per contract in it (each with its request's context),
 * listing that contract's events of the chunk. One message per event cost three quarters of an activation's
 * CPU, Postgres, relay, broker and consumers together (BENCHMARKS.md, fourteenth round).
 */
function announcementsOf(chunk: Array<[number, number]>, rows: NewContractEventRow[], ctxOf: (contract: number) => RequestContext, now: Date): OutboxGroup[] {
  const runs: Array<{ contract: number; events: NewContractEventRow[] }> = [];
  chunk.forEach(([i], n) => {
    if (runs.at(-1)?.contract !== i) runs.push({ contract: i, events: [] });
    runs.at(-1)!.events.push(rows[n]);
  });
  return runs.map(({ contract, events }) => ({
    ctx: ctxOf(contract),
    events: [
      {
        type: 'CONTRACT_EVENTS_CREATED',
        aggregateId: events[0].contractId,
        payload: { contractId: events[0].contractId, events: events.map(createdPayload), occurredAt: now.toISOString() },
      },
    ],
  }));
}

function announcements(ctx: RequestContext, contract: ContractRow, saved: ContractRow, eventIds: string[], now: Date): NewDomainEvent[] {
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
        totalEvents: eventIds.length,
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
        eventIds,
        generatedBy: ctx.actor.id,
        generatedAt: now.toISOString(),
        totalEvents: eventIds.length,
        occurredAt: now.toISOString(),
      },
    },
  ];
}
