import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PeriodicJob } from '@app/shared/app/periodic-job';
import { CONTRACT_EVENT_TYPES, ContractEventType } from '@app/shared/catalog/events-service.catalog';
import { RequestContext, systemContext } from '@app/shared/context/request-context';
import { tryTransactionLock } from '@app/shared/db/advisory-lock';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { EventStatusMover } from '../contract-events/event-status-mover';
import { ContractStatusRecorder } from '../contracts/contract-status-recorder';
import { DUE, OVERDUE } from '../status-config/default-flows';
import { EventFlow } from '../status-config/event-flow';
import { EventFlows, EventFlowService } from '../status-config/event-flow.service';
import { EventsConfig } from '../events.config';
import { SchedulerRepository } from './scheduler.repository';

const BATCH = 500;

export interface SchedulerRun {
  due: number;
  overdue: number;
  contractsClosed: number;
  /** CONTRACT_RENEWAL_UPCOMING sent (once per contract). */
  renewalNotices: number;
}

/**
 * Time-driven moves, as the System actor: events inside their tenant's lead window → `due`, events whose
 * day has passed → `overdue` (each only where the tenant's flow has that move), and active contracts past
 * their end → completed (nothing open) or expired. Runs every EVENT_SCHEDULER_INTERVAL_MS on the shared
 * PeriodicJob. Exactly once across replicas: a per-tenant advisory transaction lock (a second replica
 * skips the tenant) and `FOR UPDATE SKIP LOCKED` on the rows, with the status in the WHERE clause so a
 * moved event never qualifies twice.
 */
@Injectable()
export class EventScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly job: PeriodicJob<SchedulerRun>;

  constructor(
    private readonly db: Transactions,
    private readonly scheduled: SchedulerRepository,
    private readonly flows: EventFlowService,
    private readonly mover: EventStatusMover,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly config: EventsConfig,
    private readonly contractStatuses: ContractStatusRecorder,
  ) {
    this.job = new PeriodicJob({ name: 'event-scheduler', everyMs: config.EVENT_SCHEDULER_INTERVAL_MS, run: () => this.runOnce() });
  }

  onApplicationBootstrap(): void {
    if (this.config.EVENT_SCHEDULER_ENABLED) this.job.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  /** One pass over every tenant with active contracts. */
  async runOnce(): Promise<SchedulerRun> {
    const total: SchedulerRun = { due: 0, overdue: 0, contractsClosed: 0, renewalNotices: 0 };
    const correlationId = randomUUID();
    for (const tenantId of await this.scheduled.tenantsWithActiveContracts(this.db.reader)) {
      const r = await this.runTenant(systemContext(tenantId, correlationId));
      total.due += r.due;
      total.overdue += r.overdue;
      total.contractsClosed += r.contractsClosed;
      total.renewalNotices += r.renewalNotices;
    }
    return total;
  }

  private async runTenant(ctx: RequestContext): Promise<SchedulerRun> {
    const run: SchedulerRun = { due: 0, overdue: 0, contractsClosed: 0, renewalNotices: 0 };
    const lockKey = `event-scheduler:${ctx.tenantId}`;
    for (;;) {
      const moved = await this.db.run(async (tx) => {
        if (!(await tryTransactionLock(tx, lockKey))) return -1;
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
    run.contractsClosed = await this.db.run(async (tx) =>
      (await tryTransactionLock(tx, lockKey)) ? this.closeEndedContracts(tx, ctx, await this.flows.loadAll(tx, ctx.tenantId)) : 0,
    );
    run.renewalNotices = await this.db.run(async (tx) => ((await tryTransactionLock(tx, lockKey)) ? this.announceRenewals(tx, ctx) : 0));
    return run;
  }

  private async moveBatch(tx: Db, ctx: RequestContext, flow: EventFlow, type: ContractEventType, to: typeof DUE | typeof OVERDUE): Promise<number> {
    if (!flow.status(to)) return 0;
    // a move that needs evidence or finished sub-tasks is for people, not the clock
    const from = flow.machine.flow.transitions.filter((t) => t.to === to && !t.requiresEvidence && !flow.isTaskGated(t.from, t.to)).map((t) => t.from);
    if (from.length === 0) return 0;
    const now = this.clock.now();
    const rows = await this.scheduled.eventsToMove(tx, {
      tenantId: ctx.tenantId,
      eventType: type,
      fromStatuses: from,
      to,
      now,
      leadDays: flow.settings.dueLeadDays,
      limit: BATCH,
    });
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

  /** Completed or expired, each with its status history row and CONTRACT_STATUS_CHANGED (actor System). */
  private async closeEndedContracts(tx: Db, ctx: RequestContext, flows: EventFlows): Promise<number> {
    const terminal = CONTRACT_EVENT_TYPES.flatMap((t) => flows[t].machine.flow.statuses.filter((s) => s.isTerminal).map((s) => `${t}:${s.code}`));
    const now = this.clock.now();
    const closed = await this.scheduled.closeEndedContracts(tx, ctx.tenantId, now, terminal);
    await this.contractStatuses.record(
      tx,
      ctx,
      closed.map((c) => ({
        before: { id: c.id, status: 'active', createdAt: c.createdAt },
        after: c,
        reason: c.status === 'completed' ? 'Auto: end date passed, every event closed' : 'Auto: end date passed with open events',
      })),
      now,
    );
    return closed.length;
  }

  /** CONTRACT_RENEWAL_UPCOMING for active contracts entering the tenant's renewal notice, once per contract. */
  private async announceRenewals(tx: Db, ctx: RequestContext): Promise<number> {
    const now = this.clock.now();
    const due = await this.scheduled.markRenewalsDue(tx, ctx.tenantId, now);
    if (due.length === 0) return 0;
    await this.outbox.append(
      tx,
      ctx,
      due.map((c) => ({
        type: 'CONTRACT_RENEWAL_UPCOMING',
        aggregateId: c.id,
        payload: {
          contractId: c.id,
          contractNumber: c.contractNumber,
          title: c.title,
          ...(c.customer?.name ? { customer: c.customer } : {}),
          endDate: c.endDate,
          daysUntilEnd: Number(c.daysUntilEnd),
          noticeDays: Number(c.noticeDays),
          ...(c.accountManagerId ? { accountManagerId: c.accountManagerId } : {}),
          occurredAt: now.toISOString(),
        },
      })),
    );
    return due.length;
  }
}
