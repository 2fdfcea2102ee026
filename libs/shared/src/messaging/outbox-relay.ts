import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, Message } from 'amqplib';
import { Pool } from 'pg';
import { BeginWithFirstStatementClient, sendWithNext } from '../db/begin-with-first-statement';
import { sessionOptions } from '../db/data-source-options';
import { DataSource } from 'typeorm';
import { BrokerConnection } from './broker-connection';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingOptions, schemaOf } from './messaging.options';
import { PgOutbox } from './pg-outbox';
import { failSpan, SpanKind, startSpan, traceparentOf } from '../observability/tracing';
import { envelopeOfRow, OutboxRow, publishOptionsOf, traceparentOfEnvelope } from './outbox-row';
import { declareDomainExchange, domainExchange } from './topology';

const BATCH_SIZE = 200;
const POLL_INTERVAL_MS = 1000;
const PUBLISH_TIMEOUT_MS = 10000;
const MAX_BACKOFF_MS = 5000;
/**
 * Rounds in flight per replica: while one waits for the broker's confirms the other claims the next rows,
 * which roughly halves the wait of an event that arrives mid-round. SKIP LOCKED splits the rows between them
 * exactly as between replicas.
 */
const WORKERS = 2;

/**
 * Settings of the relay's own connections (they run nothing but the relay's statements). synchronous_commit:
 * losing the marking commit in a crash only republishes the rows (consumers dedupe), so it need not wait for
 * fsync. enable_bitmapscan: the partial index of unpublished rows keeps an entry for every row published
 * since the table's last vacuum; a plain index scan marks those entries dead as it passes them (later scans
 * skip them), a bitmap scan visits their rows again on every claim (4 ms a claim once 13,000 rows were
 * published without a vacuum, measured). enable_seqscan: the marking is prepared once per connection and
 * its plan kept; a plan made while the table was nearly empty must still find rows by key once it holds a
 * million (every statement of the relay has an index to use).
 */
export const RELAY_SETTINGS: Readonly<Record<string, string>> = { synchronous_commit: 'off', enable_bitmapscan: 'off', enable_seqscan: 'off' };

/**
 * A locked batch of unpublished rows in order, minus the rows of aggregates of which another round (a second
 * worker, another replica) holds an earlier row: so no aggregate is published out of order. The batch takes
 * the first rows nobody holds, so an unpublished row before its last one that it skipped is one that another
 * round holds (or one committed after the claim began, which comes next round either way).
 *
 * Shaped so that every plan is cheap whatever the statistics say: both lookups in the batch are hashed, and
 * the rows the batch skipped are read once, in seq order. The earlier form (NOT EXISTS an earlier unpublished
 * row of the aggregate outside the batch) was planned as nested loops when the last ANALYZE had seen no
 * unpublished rows, the usual case for an outbox: 18 s a claim for a backlog of 4,500 rows, measured.
 */
export const CLAIM_BATCH = `
  WITH batch AS (
    SELECT * FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED
  )
  SELECT * FROM batch
  WHERE aggregate_id NOT IN (
    SELECT held.aggregate_id FROM outbox held
    WHERE held.published_at IS NULL AND held.seq < (SELECT max(seq) FROM batch) AND held.id NOT IN (SELECT id FROM batch)
  )
  ORDER BY seq`;

const MARK_PUBLISHED = sendWithNext('UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])');

/** Test seam: lets a test kill the relay between the broker's confirm and the row update. */
export interface RelayFaults {
  afterPublishBeforeMark?: () => void;
}

/**
 * Publishes committed outbox rows to the domain exchange with publisher confirms and `mandatory`, and marks
 * them published only after the broker confirmed them, so a crash in between republishes (consumers dedupe
 * on the message id). Wakes when a transaction of this process that appended to the outbox commits, polls
 * anyway (rows of another replica whose relay is busy or away), and backs off while the broker is unreachable.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
  readonly faults: RelayFaults = {};
  private channel?: ChannelWrapper;
  private pool?: Pool;
  private unsubscribe?: () => void;
  private stopped = false;
  private loopsDone?: Promise<unknown>;
  private readonly sleepers = new Set<() => void>();
  private wakeRequested = false;
  /** Message ids the broker returned as unroutable; checked when their confirm arrives (return comes first). */
  private readonly returned = new Map<string, string>();
  /** Set after a return: someone deleted part of the topology; declare it again before the next round. */
  private redeclare = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly broker: BrokerConnection,
    private readonly metrics: MessagingMetrics,
    private readonly outbox: PgOutbox,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const ns = this.broker.namespace;
    this.channel = this.broker.createChannel({
      name: `${this.options.service}.relay`,
      confirm: true,
      publishTimeout: PUBLISH_TIMEOUT_MS,
      setup: async (ch: ConfirmChannel) => {
        ch.on('return', (msg: Message) => {
          if (msg.properties.messageId)
            this.returned.set(msg.properties.messageId, `unroutable: ${(msg.fields as { replyText?: string }).replyText ?? 'returned by broker'}`);
        });
        await declareDomainExchange(ch, ns, this.broker.queueArguments);
      },
    });
    // Woken when a transaction that appended commits (not on a savepoint release, not on rollback).
    this.unsubscribe = this.outbox.onCommitted(() => this.notified());
    this.loopsDone = Promise.all(Array.from({ length: WORKERS }, () => this.loop()));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
    await this.loopsDone;
    this.unsubscribe?.();
    await this.pool?.end().catch(() => undefined);
    await this.channel?.close().catch(() => undefined);
  }

  /** Publishes what is pending now; returns how many rows were confirmed. Also used by tests and the bench. */
  async drainOnce(): Promise<number> {
    if (!this.broker.isConnected()) throw new Error('broker unavailable');
    if (this.redeclare) await this.redeclareTopology();
    // Plain pg, without TypeORM's query runner: a round costs two round trips (BEGIN + claim, mark + COMMIT,
    // each pair in one write: BeginWithFirstStatementClient) instead of five, which is what the relay spends
    // per event when they come one by one. The claim is planned afresh each round: a plan kept from a
    // moment the table was empty may walk `seq` over every published row instead of the unpublished rows' index.
    const client = await this.connections().connect();
    const release = (err?: Error) => client.release(err);
    let open = false;
    let broken: Error | undefined;
    try {
      open = true;
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(CLAIM_BATCH);
      if (rows.length === 0) {
        await client.query('COMMIT');
        open = false;
        return 0;
      }
      const outcomes = await Promise.allSettled(rows.map((row) => this.publish(row)));
      this.faults.afterPublishBeforeMark?.();
      const ok: string[] = [];
      const failed: { id: string; error: string }[] = [];
      outcomes.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          ok.push(rows[i].id);
          this.metrics.published.inc({ type: rows[i].type });
        } else {
          failed.push({ id: rows[i].id, error: String((r.reason as Error)?.message ?? r.reason) });
          this.metrics.publishErrors.inc({ type: rows[i].type });
        }
      });
      for (const f of failed) {
        await client.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [f.id, f.error.slice(0, 2000)]);
      }
      // The marking goes out with the COMMIT, in one round trip.
      if (ok.length > 0) await client.query({ name: 'cn_outbox_mark', text: MARK_PUBLISHED, values: [ok] });
      await client.query('COMMIT');
      open = false;
      if (failed.length > 0) throw new Error(`${failed.length} of ${rows.length} outbox rows were not confirmed: ${failed[0].error}`);
      return ok.length;
    } catch (e) {
      if (open) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          // Not safe to hand back to the pool (a transaction may still be open on it).
          broken = rollbackError;
        });
      }
      throw e;
    } finally {
      release(broken);
    }
  }

  /**
   * Connections of the relay's own (one per worker, kept open): publishing never waits behind the service's
   * requests for a connection of the service's pool, and holds none of them while it waits for confirms.
   */
  private connections(): Pool {
    if (!this.pool) {
      const o = this.dataSource.options as { host: string; port: number; username: string; password: string; database: string };
      this.pool = new Pool({
        host: o.host,
        port: o.port,
        user: o.username,
        password: o.password,
        database: o.database,
        options: sessionOptions({ search_path: schemaOf(this.dataSource), ...RELAY_SETTINGS }),
        Client: BeginWithFirstStatementClient,
        max: WORKERS,
        idleTimeoutMillis: 0,
      });
      const lost = (e: Error) => this.logger.warn(`relay database connection lost (reconnects on next use): ${e.message}`);
      this.pool.on('error', lost);
      // The pool hears errors of idle connections only: one checked out while the server goes away (a
      // PostgreSQL restart mid-publish) emits on the client itself, which without a listener ends the process.
      this.pool.on('connect', (client) => client.on('error', lost));
    }
    return this.pool;
  }

  private async publish(row: OutboxRow): Promise<void> {
    const env = envelopeOfRow(row);
    // The broker hop of the trace: a producer span under the producing work's, whose traceparent the
    // message carries as an AMQP header (consumers prefer it to the envelope's).
    const span = startSpan(`publish ${env.type}`, {
      kind: SpanKind.PRODUCER,
      parent: traceparentOfEnvelope(env),
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'publish',
        'messaging.destination.name': env.type,
        'messaging.message.id': env.id,
      },
    });
    try {
      await this.channel!.publish(
        domainExchange(this.broker.namespace),
        env.type,
        Buffer.from(JSON.stringify(env)),
        publishOptionsOf(env, traceparentOf(span) ?? traceparentOfEnvelope(env)),
      );
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
    const returned = this.returned.get(env.id);
    if (returned) {
      this.returned.delete(env.id);
      this.redeclare = true;
      throw new Error(returned);
    }
  }

  private async redeclareTopology(): Promise<void> {
    this.redeclare = false;
    const setup = (ch: ConfirmChannel) => declareDomainExchange(ch, this.broker.namespace, this.broker.queueArguments);
    await this.channel!.addSetup(setup);
    await this.channel!.removeSetup(setup);
  }

  private async loop(): Promise<void> {
    let backoffMs = 0;
    while (!this.stopped) {
      let published = 0;
      try {
        published = await this.drainOnce();
        backoffMs = 0;
      } catch (e) {
        backoffMs = Math.min(Math.max(backoffMs * 2, 100), MAX_BACKOFF_MS);
        if (this.broker.isConnected()) this.logger.warn(`relay round failed, retrying in ${backoffMs} ms: ${(e as Error).message}`);
      }
      if (this.stopped) break;
      if (published >= BATCH_SIZE && backoffMs === 0) continue;
      await this.sleep(backoffMs || POLL_INTERVAL_MS, backoffMs === 0);
    }
  }

  /** Waits for the poll interval, or less when rows are committed (not while backing off from a broker outage). */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const wake = () => {
        if (wakeable || this.stopped) finish();
      };
      const timer = setTimeout(finish, ms);
      this.sleepers.add(wake);
    });
  }

  /**
   * One sleeping worker per commit (a second would mostly find the rows locked and claim nothing); rows
   * committed while every worker is mid-round are picked up by whichever finishes first.
   */
  private notified(): void {
    const [sleeper] = this.sleepers;
    if (sleeper) sleeper();
    else this.wakeRequested = true;
  }
}
