import { Injectable } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { outsideRequestJournal } from '@app/shared/messaging/request-journal';
import { Activation, ContractActivator } from './contract-activator';
import { ContractRepository, ContractRow } from './contract.repository';
import { planEvents } from './promise-planner';
import { requireStatus } from './use-cases/contract-lookup';

/** Most contracts, and events, one shared activation transaction takes; the others wait for the next. */
const MAX_CONTRACTS = 50;
const MAX_EVENTS = 10_000;

/**
 * How long a tenant's first request waits for others before its transaction starts. Requests come in
 * waves (the RPC prefetch window reopens when a batch is answered, and the broker then delivers the next
 * ones within a millisecond or two): started at once, the first of each wave ran alone and the rest waited
 * for it, so half the transactions of 100 concurrent activations held one contract. A lone request pays
 * this once, against tens of milliseconds for its transaction.
 */
const GATHER_MS = 2;

interface Waiter {
  ctx: RequestContext;
  contractId: string;
  resolve: (c: ContractRow) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: ContractRow } | { error: unknown };

/**
 * Direct activations of one tenant, committed together. Every activation takes the tenant's TaskID
 * counter row and keeps it locked until it commits (that is what keeps TaskIDs gap-free), so a tenant's
 * activations run one transaction at a time whatever the concurrency. Instead of queuing on that lock, the
 * requests that arrive while one transaction runs wait here and then share the next one: one counter bump,
 * their events and audit rows in the same statements (ContractActivator), one commit. A tenant's first
 * request waits GATHER_MS for the others of its wave.
 *
 * What each caller gets is what it would get alone: its contract activated (or, if already active, as it
 * is), or its own error (not found, wrong status, invalid promises), delivered only after the commit. If
 * the shared transaction fails, each request is retried on its own, so one bad contract fails only itself.
 * Replicas batch independently; the counter row still orders them.
 */
@Injectable()
export class ActivationBatcher {
  private readonly waiting = new Map<string, Waiter[]>();

  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly activator: ContractActivator,
  ) {}

  activate(ctx: RequestContext, contractId: string): Promise<ContractRow> {
    return new Promise((resolve, reject) => {
      const waiter = { ctx, contractId, resolve, reject };
      const queue = this.waiting.get(ctx.tenantId);
      if (queue) return void queue.push(waiter);
      this.waiting.set(ctx.tenantId, [waiter]);
      // The batch is no single request's work (messaging/request-journal.ts): a second delivery of an
      // activation finds its contract active and answers it as it is.
      setTimeout(() => outsideRequestJournal(() => void this.drain(ctx.tenantId)), GATHER_MS);
    });
  }

  private async drain(tenantId: string): Promise<void> {
    const queue = this.waiting.get(tenantId)!;
    try {
      while (queue.length > 0) queue.unshift(...(await this.run(tenantId, queue.splice(0, MAX_CONTRACTS))));
    } catch (err) {
      // run() answers every waiter itself; this only keeps a bug from leaving the tenant's queue stuck.
      for (const w of queue.splice(0)) w.reject(err);
    } finally {
      this.waiting.delete(tenantId);
    }
  }

  /** Runs one shared transaction; answers its waiters after the commit and returns those left for the next. */
  private async run(tenantId: string, batch: Waiter[]): Promise<Waiter[]> {
    const outcomes = new Map<Waiter, Outcome>();
    let deferred: Waiter[] = [];
    try {
      deferred = await this.db.run((tx) => this.activateLocked(tx, tenantId, batch, outcomes));
    } catch (err) {
      if (batch.length === 1) {
        batch[0].reject(err);
        return [];
      }
      for (const w of batch) await this.run(tenantId, [w]);
      return [];
    }
    for (const [w, outcome] of outcomes) {
      if ('ok' in outcome) w.resolve(outcome.ok);
      else w.reject(outcome.error);
    }
    return deferred;
  }

  private async activateLocked(tx: Db, tenantId: string, batch: Waiter[], outcomes: Map<Waiter, Outcome>): Promise<Waiter[]> {
    const ids = [...new Set(batch.map((w) => w.contractId))];
    const found = new Map((await this.contracts.lockMany(tx, tenantId, ids)).map((c) => [c.id, c]));
    const todo: Array<Activation & { waiters: Waiter[] }> = [];
    const deferred: Waiter[] = [];
    let events = 0;
    for (const id of ids) {
      const waiters = batch.filter((w) => w.contractId === id);
      const settle = (outcome: Outcome) => waiters.forEach((w) => outcomes.set(w, outcome));
      const c = found.get(id);
      try {
        if (!c) throw DomainError.notFound('contract', id);
        if (c.status === 'active') {
          settle({ ok: c });
          continue;
        }
        requireStatus(c, ['draft'], 'activated directly (a booking under review is activated by approving it)');
        const plan = planEvents(c);
        if (todo.length > 0 && events + plan.length > MAX_EVENTS) {
          deferred.push(...waiters);
          continue;
        }
        events += plan.length;
        // A contract asked for twice is activated once, in the name of the first request.
        todo.push({ ctx: waiters[0].ctx, contract: c, plan, waiters });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        settle({ error: err });
      }
    }
    const saved = await this.activator.activateMany(tx, todo);
    todo.forEach((a, i) => a.waiters.forEach((w) => outcomes.set(w, { ok: saved[i] })));
    return deferred;
  }
}
