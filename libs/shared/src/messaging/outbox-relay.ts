import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, Message } from 'amqplib';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BrokerConnection } from './broker-connection';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingOptions, outboxChannel, schemaOf } from './messaging.options';
import { envelopeOfRow, OutboxRow, publishOptionsOf } from './outbox-row';
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
 * A locked batch of unpublished rows, minus rows whose aggregate has an earlier unpublished row outside the
 * batch (locked by another replica, or failed earlier): so replicas never publish one aggregate out of order.
 */
const CLAIM_BATCH = `
  WITH batch AS (
    SELECT id, seq, aggregate_id FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
  )
  SELECT o.* FROM outbox o JOIN batch b ON b.id = o.id
  WHERE NOT EXISTS (
    SELECT 1 FROM outbox e
    WHERE e.published_at IS NULL AND e.aggregate_id = b.aggregate_id AND e.seq < b.seq
      AND NOT EXISTS (SELECT 1 FROM batch x WHERE x.id = e.id)
  )
  ORDER BY o.seq`;

/** Test seam: lets a test kill the relay between the broker's confirm and the row update. */
export interface RelayFaults {
  afterPublishBeforeMark?: () => void;
}

/**
 * Publishes committed outbox rows to the domain exchange with publisher confirms and `mandatory`, and marks
 * them published only after the broker confirmed them, so a crash in between republishes (consumers dedupe
 * on the message id). Wakes on NOTIFY from `Outbox.append`, polls anyway (a lost notification only delays),
 * and backs off while the broker is unreachable.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
  readonly faults: RelayFaults = {};
  private channel?: ChannelWrapper;
  private listener?: Client;
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
          if (msg.properties.messageId) this.returned.set(msg.properties.messageId, `unroutable: ${(msg.fields as { replyText?: string }).replyText ?? 'returned by broker'}`);
        });
        await declareDomainExchange(ch, ns, this.broker.queueArguments);
      },
    });
    await this.listen();
    this.loopsDone = Promise.all(Array.from({ length: WORKERS }, () => this.loop()));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
    await this.loopsDone;
    await this.listener?.end().catch(() => undefined);
    await this.channel?.close().catch(() => undefined);
  }

  /** Publishes what is pending now; returns how many rows were confirmed. Also used by tests and the bench. */
  async drainOnce(): Promise<number> {
    if (!this.broker.isConnected()) throw new Error('broker unavailable');
    if (this.redeclare) await this.redeclareTopology();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const rows: OutboxRow[] = await runner.query(CLAIM_BATCH, [BATCH_SIZE]);
      if (rows.length === 0) {
        await runner.commitTransaction();
        return 0;
      }
      const results = await Promise.allSettled(rows.map((row) => this.publish(row)));
      this.faults.afterPublishBeforeMark?.();
      // Losing this commit in a crash only republishes the rows (consumers dedupe): no need to wait for fsync.
      await runner.query('SET LOCAL synchronous_commit = off');
      const ok: string[] = [];
      const failed: { id: string; error: string }[] = [];
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          ok.push(rows[i].id);
          this.metrics.published.inc({ type: rows[i].type });
        } else {
          failed.push({ id: rows[i].id, error: String((r.reason as Error)?.message ?? r.reason) });
          this.metrics.publishErrors.inc({ type: rows[i].type });
        }
      });
      if (ok.length > 0) {
        await runner.query('UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])', [ok]);
      }
      for (const f of failed) {
        await runner.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [f.id, f.error.slice(0, 2000)]);
      }
      await runner.commitTransaction();
      if (failed.length > 0) throw new Error(`${failed.length} of ${rows.length} outbox rows were not confirmed: ${failed[0].error}`);
      return ok.length;
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
    }
  }

  private async publish(row: OutboxRow): Promise<void> {
    const env = envelopeOfRow(row);
    await this.channel!.publish(domainExchange(this.broker.namespace), env.type, Buffer.from(JSON.stringify(env)), publishOptionsOf(env));
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

  /** Waits for the poll interval, or less when a NOTIFY arrives (not while backing off from a broker outage). */
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
   * One sleeping worker per notification (a second would mostly find the rows locked and claim nothing); rows
   * committed while every worker is mid-round are picked up by whichever finishes first.
   */
  private notified(): void {
    const [sleeper] = this.sleepers;
    if (sleeper) sleeper();
    else this.wakeRequested = true;
  }

  /** A dedicated connection for LISTEN (a pooled one would be handed to other work); reconnects on error. */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const o = this.dataSource.options as { host: string; port: number; username: string; password: string; database: string };
    const client = new Client({ host: o.host, port: o.port, user: o.username, password: o.password, database: o.database });
    client.on('notification', () => this.notified());
    client.on('error', (e) => {
      this.logger.warn(`outbox listener lost: ${e.message}`);
      client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => undefined), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${outboxChannel(schemaOf(this.dataSource))}"`);
      this.listener = client;
    } catch (e) {
      this.logger.warn(`cannot LISTEN for outbox rows (polling only until it works): ${(e as Error).message}`);
      await client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => undefined), 1000).unref();
    }
  }
}
