import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CONTRACT_EVENT_TYPES, ContractEventType } from '@app/shared/catalog/events-service.catalog';
import { RequestContext, systemContext } from '@app/shared/context/request-context';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { ContractEventRow, EVENT_COLUMNS } from '../contract-events/contract-event.repository';
import { EventStatusMover } from '../contract-events/event-status-mover';
import { ContractRow } from '../contracts/contract.repository';
import { DUE, OVERDUE } from '../status-config/default-flows';
import { EventFlow } from '../status-config/event-flow';
import { EventFlowService } from '../status-config/event-flow.service';
import { EventsConfig } from '../events.config';

const BATCH = 500;

export interface SchedulerRun {
  due: number;
  overdue: number;
  contractsClosed: number;
}

/**
 * Time-driven moves, as the System actor: events inside their tenant's lead window → `due`, events whose
 * day has passed → `overdue` (each only where the tenant's flow has that move), and active contracts past
 * their end → completed (nothing open) or expired. Exactly once across replicas: a per-tenant advisory
 * transaction lock (a second replica skips the tenant) and `FOR UPDATE SKIP LOCKED` on the rows, with the
 * status in the WHERE clause so a moved event never qualifies twice.
 */
@Injectable()
export class EventScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventScheduler');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly flows: EventFlowService,
    private readonly mover: EventStatusMover,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly config: EventsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.EVENT_SCHEDULER_ENABLED) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((e) => this.logger.error(`scheduler run failed: ${(e as Error).stack}`))
        .finally(() => (this.running = undefined));
    }, this.config.EVENT_SCHEDULER_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass over every tenant with active contracts. */
  async runOnce(): Promise<SchedulerRun> {
    const total: SchedulerRun = { due: 0, overdue: 0, contractsClosed: 0 };
    const tenants: Array<{ tenant_id: string }> = await this.dataSource.query(`SELECT DISTINCT tenant_id FROM contracts WHERE status = 'active'`);
    const correlationId = randomUUID();
    for (const { tenant_id } of tenants) {
      const r = await this.runTenant(systemContext(tenant_id, correlationId));
      total.due += r.due;
      total.overdue += r.overdue;
      total.contractsClosed += r.contractsClosed;
    }
    return total;
  }

  private async runTenant(ctx: RequestContext): Promise<SchedulerRun> {
    const run: SchedulerRun = { due: 0, overdue: 0, contractsClosed: 0 };
    for (;;) {
      const moved = await this.dataSource.transaction(async (tx) => {
        const [{ locked }] = await tx.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [`event-scheduler:${ctx.tenantId}`]);
        if (!locked) return -1;
        const flows = await this.flows.loadAll(tx, ctx.tenantId);
        let n = 0;
        for (const type of CONTRACT_EVENT_TYPES) {
          const o = await this.moveBatch(tx, ctx, flows[type], type, OVERDUE);
          const d = await this.moveBatch(tx, ctx, flows[type], type, DUE);
          run.overdue += o;
          run.due += d;
          n += o + d;
        }
        return n;
      });
      if (moved < BATCH) break;
    }
    // after the moves, so a contract ending today sees its events' final statuses
    run.contractsClosed = await this.dataSource.transaction(async (tx) => {
      const [{ locked }] = await tx.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [`event-scheduler:${ctx.tenantId}`]);
      return locked ? this.closeEndedContracts(tx, ctx, await this.flows.loadAll(tx, ctx.tenantId)) : 0;
    });
    return run;
  }

  private async moveBatch(tx: EntityManager, ctx: RequestContext, flow: EventFlow, type: ContractEventType, to: string): Promise<number> {
    if (!flow.status(to)) return 0;
    // a move that needs evidence or finished sub-tasks is for people, not the clock
    const from = flow.machine.flow.transitions
      .filter((t) => t.to === to && !t.requiresEvidence && !flow.isTaskGated(t.from, t.to))
      .map((t) => t.from);
    if (from.length === 0) return 0;
    const now = this.clock.now();
    // overdue: the event's day is over; due: the day is within the lead window and not over yet
    const window =
      to === OVERDUE
        ? `e.scheduled_date <= $4::timestamptz - interval '1 day'`
        : `e.scheduled_date <= $4::timestamptz + make_interval(days => $5) AND e.scheduled_date > $4::timestamptz - interval '1 day'`;
    const rows: Array<ContractEventRow & { contract: ContractRow }> = await tx.query(
      `SELECT ${EVENT_COLUMNS}, json_build_object('id', c.id, 'contractNumber', c.contract_number, 'title', c.title, 'customer', c.customer) AS contract
       FROM contract_events e JOIN contracts c ON c.id = e.contract_id AND c.tenant_id = e.tenant_id
       WHERE e.tenant_id = $1 AND e.event_type = $2 AND e.status = ANY($3::text[]) AND c.status = 'active' AND ${window}
       ORDER BY e.scheduled_date, e.id LIMIT ${BATCH} FOR UPDATE OF e SKIP LOCKED`,
      [ctx.tenantId, type, from, now.toISOString(), ...(to === DUE ? [flow.settings.dueLeadDays] : [])],
    );
    for (const e of rows) {
      const reason = to === OVERDUE ? 'Auto: past scheduled date' : `Auto: within ${flow.settings.dueLeadDays} days of its date`;
      await this.mover.move(tx, ctx, e, to, { by: 'system', reason, flow });
      await this.outbox.append(tx, ctx, [
        {
          // no aggregateVersion: it accompanies the STATUS_CHANGED that carries this version, and ordered
          // consumers treat one version as one event
          type: to === OVERDUE ? 'CONTRACT_EVENT_OVERDUE' : 'CONTRACT_EVENT_DUE',
          aggregateId: e.id,
          payload: {
            eventId: e.id,
            contractId: e.contractId,
            taskId: e.taskId,
            eventType: e.eventType,
            title: e.title,
            scheduledDate: new Date(e.scheduledDate).toISOString(),
            ...(e.amount !== null ? { amount: e.amount, currency: e.currency ?? undefined } : {}),
            contract: { id: e.contract.id, contractNumber: e.contract.contractNumber, title: e.contract.title },
            customer: e.contract.customer,
            previousStatus: e.status,
            newStatus: to,
            occurredAt: now.toISOString(),
          },
        },
      ]);
    }
    return rows.length;
  }

  /** Active contracts whose last day has passed (in their timezone): completed when nothing is open, else expired. */
  private async closeEndedContracts(tx: EntityManager, ctx: RequestContext, flows: Record<ContractEventType, EventFlow>): Promise<number> {
    const now = this.clock.now();
    const terminal = CONTRACT_EVENT_TYPES.flatMap((t) => flows[t].machine.flow.statuses.filter((s) => s.isTerminal).map((s) => `${t}:${s.code}`));
    const rows = await tx.query(
      `UPDATE contracts c SET status = CASE WHEN EXISTS (
           SELECT 1 FROM contract_events e WHERE e.tenant_id = c.tenant_id AND e.contract_id = c.id AND NOT (e.event_type || ':' || e.status) = ANY($3::text[])
         ) THEN 'expired' ELSE 'completed' END,
         closed_at = $2, version = version + 1, updated_at = $2
       WHERE c.tenant_id = $1 AND c.status = 'active' AND c.end_date < ($2::timestamptz AT TIME ZONE c.timezone)::date
       RETURNING c.id`,
      [ctx.tenantId, now.toISOString(), terminal],
    );
    return (Array.isArray(rows[0]) ? rows[0] : rows).length;
  }
}
