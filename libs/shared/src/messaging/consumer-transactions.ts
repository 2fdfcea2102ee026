import { Logger } from '@nestjs/common';
import type { ConsumeMessage } from 'amqplib';
import type { Span } from '@opentelemetry/api';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { RequestContext, runWithContext } from '../context/request-context';
import { failSpan, inSpan, SpanKind, startSpan, traceparentHeader, traceparentOf } from '../observability/tracing';
import { sendWithNext } from '../db/begin-with-first-statement';
import { checkAggregateOrder, DeferForOrder, OrderWait } from './aggregate-order';
import { Envelope } from './envelope';
import { EventBatchItem } from './handles-event.decorator';
import { LazySavepoints, lazySavepoints, SAVEPOINT } from './lazy-savepoints';
import { traceparentOfEnvelope } from './outbox-row';

/**
 * Transaction-scoped advisory locks, one per aggregate and consumer, taken in the order of the locks' own keys
 * (two ids with one hash are one lock), so that two transactions taking overlapping sets never wait in a cycle.
 */
const LOCK_AGGREGATES =
  'SELECT count(pg_advisory_xact_lock(hashtext($1), k)) FROM (SELECT DISTINCT hashtext(id) AS k FROM unnest($2::text[]) AS id ORDER BY k) AS keys';

export type HandlerFn = (event: Envelope<object>, tx: EntityManager, ctx: RequestContext) => unknown;
export type BatchHandlerFn = (items: EventBatchItem[], tx: EntityManager) => unknown;

export interface RegisteredHandler {
  name: string;
  ordered: boolean;
  /** One message (a batch handler is called with a batch of one). */
  call: HandlerFn;
  /** Set for `@HandlesEventBatch`: the messages of a run at once. */
  batch?: BatchHandlerFn;
}

export type Outcome = 'handled' | 'duplicate' | 'stale' | 'deferred';

export interface Work {
  delivery: { msg: ConsumeMessage };
  env: Envelope;
  handlers: RegisteredHandler[];
  /** An ordered event's wait for its predecessors so far, from the headers it came with. */
  wait: OrderWait;
  outcome?: Outcome;
  /** Set with the outcome 'deferred': the wait the event goes back with. */
  deferral?: OrderWait;
  /** Set when the handlers failed: the message goes to a retry stage or the DLQ. */
  error?: unknown;
}

/**
 * How the consumer applies the messages of one delivery batch: which transactions, which savepoints, and
 * which messages a batch handler gets at once. Sets each message's outcome (or error); the consumer acts on
 * them after the commit.
 */
export class ConsumerTransactions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly consumerName: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Several messages share one transaction (one commit, one inbox insert); each runs inside its own
   * savepoint so a failing one is rolled back alone, except runs of a batch handler's type, which share
   * one savepoint (and fall back to one each when the run fails). Messages that lose a lock conflict, and
   * all of them if the shared transaction itself fails, are then handled one per transaction, as if they
   * had arrived alone.
   */
  async handleAll(work: Work[]): Promise<void> {
    let alone = work;
    if (work.length > 1) {
      try {
        alone = await this.handleInOneTransaction(work);
      } catch (e) {
        this.logger.warn(`batch of ${work.length} events rolled back, handling them one by one: ${(e as Error).message}`);
        for (const w of work) w.outcome = w.error = w.deferral = undefined;
        alone = work;
      }
    }
    // One after the other: keeps the delivery order of one aggregate's events.
    for (const w of alone) await this.handleAlone(w);
  }

  /** Returns the messages to handle alone afterwards; throws when the transaction as a whole failed. */
  private async handleInOneTransaction(work: Work[]): Promise<Work[]> {
    const alone: Work[] = [];
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // The aggregates of the batch, locked in one order for this consumer, with the inbox insert in its round
      // trip: the two batches in flight each touch their aggregates' rows in delivery order, and two batches
      // with two hot aggregates in opposite orders deadlocked about once a second under load (each costing a
      // second of deadlock_timeout). In one order, the second batch waits for the first instead.
      const aggregates = [...new Set(work.map((w) => w.env.aggregateId).filter((id): id is string => !!id))];
      if (aggregates.length > 0) await runner.query(sendWithNext(LOCK_AGGREGATES), [this.consumerName, aggregates]);
      const inserted: { message_id: string }[] = await runner.query(
        'INSERT INTO inbox (consumer, message_id) SELECT $1, id FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING message_id',
        [this.consumerName, work.map((w) => w.env.id)],
      );
      const fresh = new Set(inserted.map((r) => r.message_id));
      const handled: Work[] = [];
      for (const w of work) {
        // delete: a second copy of one message in the same batch is a duplicate of the first. Postgres
        // answers uuids in lower case; the envelope may carry upper case.
        if (fresh.delete(w.env.id.toLowerCase())) handled.push(w);
        else w.outcome = 'duplicate';
      }
      const savepoints = lazySavepoints(runner);
      for (const run of runsOf(handled)) {
        if (run.length > 1 && (await this.handleRun(runner, savepoints, run))) continue;
        for (const w of run) await this.handleInSavepoint(runner, savepoints, w, alone);
      }
      // Fails if a handler swallowed a database error and left the transaction aborted (COMMIT would not);
      // sent with the COMMIT, whose error it then is, so the check costs no round trip of its own.
      if (savepoints.held) await runner.query(sendWithNext(`RELEASE SAVEPOINT ${SAVEPOINT}`));
      await runner.commitTransaction();
      return alone;
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
    }
  }

  /** A run of one batch type in one savepoint: true when it committed, false when it was rolled back (to be handled one by one). */
  private async handleRun(runner: QueryRunner, savepoints: LazySavepoints, run: Work[]): Promise<boolean> {
    savepoints.next();
    try {
      await this.applyBatch(runner.manager, run);
      savepoints.done();
      for (const w of run) w.outcome = 'handled';
      return true;
    } catch (e) {
      savepoints.done();
      if (savepoints.failure) throw savepoints.failure;
      if (savepoints.taken) await runner.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      this.logger.debug(`${run.length} × ${run[0].env.type} failed together, handling them one by one: ${(e as Error)?.message}`);
      return false;
    }
  }

  private async handleInSavepoint(runner: QueryRunner, savepoints: LazySavepoints, w: Work, alone: Work[]): Promise<void> {
    savepoints.next();
    try {
      w.outcome = await this.apply(runner.manager, w);
      savepoints.done();
    } catch (e) {
      savepoints.done();
      // Our own savepoint statement failed: the transaction is broken (a handler before swallowed a
      // database error), not this handler.
      if (savepoints.failure) throw savepoints.failure;
      if (savepoints.taken) await runner.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      await runner.query('DELETE FROM inbox WHERE consumer = $1 AND message_id = $2', [this.consumerName, w.env.id]);
      if (e instanceof DeferForOrder) deferred(w, e);
      else if (isLockConflict(e)) alone.push(w);
      else w.error = e;
    }
  }

  private async handleAlone(w: Work): Promise<void> {
    try {
      w.outcome = await this.dataSource.transaction(async (tx) => {
        const fresh = await tx.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id', [
          this.consumerName,
          w.env.id,
        ]);
        if (fresh.length === 0) return 'duplicate';
        return this.apply(tx, w);
      });
    } catch (e) {
      if (e instanceof DeferForOrder) deferred(w, e);
      else w.error = e;
    }
  }

  /** The handlers of one message, after its inbox record: 'handled', or 'stale' for an old ordered version. */
  private async apply(tx: EntityManager, w: Work): Promise<Outcome> {
    const { env, handlers } = w;
    let inOrder = true;
    if (handlers.some((h) => h.ordered) && typeof env.aggregateVersion === 'number') {
      inOrder = await checkAggregateOrder(tx, this.consumerName, env, w.wait);
    }
    const { parent, attributes } = this.spanOf(w);
    await inSpan(`process ${env.type}`, { kind: SpanKind.CONSUMER, parent, attributes }, async (traceparent) => {
      const ctx = contextOf(env, traceparent);
      await runWithContext(ctx, async () => {
        for (const h of handlers) if (inOrder || !h.ordered) await h.call(env, tx, ctx);
      });
    });
    return inOrder ? 'handled' : 'stale';
  }

  /** A run's batch handlers, each called once with every message of the run; a span per message. */
  private async applyBatch(tx: EntityManager, run: Work[]): Promise<void> {
    const spans: Span[] = [];
    const items: EventBatchItem[] = run.map((w) => {
      const { parent, attributes } = this.spanOf(w);
      const span = startSpan(`process ${w.env.type}`, { kind: SpanKind.CONSUMER, parent, attributes });
      spans.push(span);
      return { event: w.env, ctx: contextOf(w.env, traceparentOf(span) ?? parent) };
    });
    try {
      for (const h of run[0].handlers) await h.batch!(items, tx);
    } catch (err) {
      for (const span of spans) failSpan(span, err);
      throw err;
    } finally {
      for (const span of spans) span.end();
    }
  }

  /**
   * The consumer hop of the trace: under the publish span (AMQP header), else the producer's (a replayed
   * dead letter has no header); the handlers' own outbox events and jobs carry this span on.
   */
  private spanOf(w: Work) {
    const parent = traceparentHeader(w.delivery.msg.properties.headers?.traceparent) ?? traceparentOfEnvelope(w.env);
    const attributes = {
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'process',
      'messaging.message.id': w.env.id,
      'cn.consumer': this.consumerName,
    };
    return { parent, attributes };
  }
}

function deferred(w: Work, e: DeferForOrder): void {
  w.outcome = 'deferred';
  w.deferral = e.wait;
}

function contextOf(env: Envelope, traceparent: string | undefined): RequestContext {
  return { tenantId: env.tenantId, actor: env.actor, roles: [], correlationId: env.correlationId, causationId: env.id, traceparent };
}

/**
 * Consecutive messages of one type whose handlers all take batches form one run; any other message is a run
 * of its own. Only consecutive ones: the messages of a batch keep their delivery order across types.
 */
export function runsOf(work: readonly Work[]): Work[][] {
  const runs: Work[][] = [];
  for (const w of work) {
    const last = runs[runs.length - 1];
    if (last && isBatchable(w) && isBatchable(last[0]) && last[0].env.type === w.env.type) last.push(w);
    else runs.push([w]);
  }
  return runs;
}

function isBatchable(w: Work): boolean {
  return w.handlers.length > 0 && w.handlers.every((h) => h.batch);
}

/** Deadlock, serialization failure, lock timeout: losing a lock race, not a failing handler. */
function isLockConflict(e: unknown): boolean {
  const code = (e as { code?: string; driverError?: { code?: string } })?.code ?? (e as { driverError?: { code?: string } })?.driverError?.code;
  return code === '40P01' || code === '40001' || code === '55P03';
}
