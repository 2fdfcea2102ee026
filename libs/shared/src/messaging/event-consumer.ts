import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { findEventDefinition } from '../catalog/event-catalog';
import { ServiceConfig } from '../config/service-config';
import { sealingKey } from '../security/sealed-fields';
import { RequestContext, runWithContext } from '../context/request-context';
import { AckWindow, Settleable } from './ack-window';
import { BrokerConnection } from './broker-connection';
import { Envelope } from './envelope';
import { checkIncoming, RejectReason } from './envelope-validation';
import { HANDLES_EVENT, HandlesEventMetadata } from './handles-event.decorator';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { sealSensitiveFields } from './sensitive-fields';
import { deadLetterQueue, declareServiceTopology, HEADERS, parseRetryDelays, retryQueue, serviceQueue } from './topology';

type HandlerFn = (event: Envelope<any>, tx: EntityManager, ctx: RequestContext) => unknown;

interface RegisteredHandler {
  name: string;
  ordered: boolean;
  call: HandlerFn;
}

/**
 * How many times an event that is ahead of its aggregate's next version waits (one first-stage retry delay
 * each) for the missing versions. Producers may skip versions (a change that emits no event), so after this
 * the event is applied and the gap accepted.
 */
export const MAX_ORDER_DEFERRALS = 5;
const SHUTDOWN_GRACE_MS = 10000;
/**
 * Messages that share one transaction at most (one commit, one inbox insert). Below 64: each message that
 * writes gets a subtransaction id, and past 64 in one transaction Postgres overflows its per-backend cache of
 * them, which slows every other session's snapshots.
 */
const MAX_BATCH = 50;
/**
 * Transactions (pool connections) the consumer holds at once. Two: while one commits, the next batch is
 * handled; more would mostly take connections from the service's own requests.
 */
const MAX_BATCHES_IN_FLIGHT = 2;
const SAVEPOINT = 'cn_event';

class DeferForOrder extends Error {}

type Outcome = 'handled' | 'duplicate' | 'stale' | 'deferred';

interface Delivery extends Settleable {
  msg: ConsumeMessage;
  /** The channel that delivered it: an ack on a newer channel would be a protocol error. */
  channel: ConfirmChannel;
}

interface Work {
  delivery: Delivery;
  env: Envelope;
  handlers: RegisteredHandler[];
  deferrals: number;
  outcome?: Outcome;
  /** Set when the handlers failed: the message goes to a retry stage or the DLQ. */
  error?: unknown;
}

/**
 * Consumes the service's queue: every `@HandlesEvent` method of every provider, bound to exactly the types
 * they declare. Each message is validated against the catalog, then handled in ONE transaction with its
 * inbox record (a redelivery or replay finds the record and has no second effect). A failing handler is
 * retried through the delay queues and finally dead-lettered with its error; a message that cannot be
 * handled at all (unknown type, invalid payload) is dead-lettered at once. Acks are manual and come after
 * the outcome is durable (commit, or the confirmed republish to a retry queue or the DLQ).
 *
 * Messages delivered together are handled in one transaction, each in a savepoint of its own: one commit
 * (one fsync) and one inbox insert for the lot instead of per message, which is what bounds throughput.
 */
@Injectable()
export class EventConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventConsumer');
  private readonly handlers = new Map<string, RegisteredHandler[]>();
  private readonly retryDelays: number[];
  private readonly sealingKey: Buffer;
  private channel?: ChannelWrapper;
  /** The channel of the current connection; deliveries remember theirs. */
  private current?: ConfirmChannel;
  /** Delivered and not yet acknowledged (or given up on). */
  private inFlight = 0;
  private idle?: () => void;
  private readonly pending: Delivery[] = [];
  private readonly unacked = new AckWindow<Delivery>();
  private pumpScheduled = false;
  private batchesRunning = 0;
  private stopping = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    private readonly broker: BrokerConnection,
    private readonly metrics: MessagingMetrics,
    private readonly config: ServiceConfig,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {
    this.retryDelays = parseRetryDelays(config.EVENT_RETRY_DELAYS_MS);
    this.sealingKey = sealingKey(config.SEALED_FIELDS_KEY);
  }

  get consumerName(): string {
    return this.options.service;
  }

  get queue(): string {
    return serviceQueue(this.broker.namespace, this.options.service);
  }

  handledTypes(): string[] {
    return [...this.handlers.keys()].sort();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.discoverHandlers();
    const ns = this.broker.namespace;
    const service = this.options.service;
    const types = this.handledTypes();
    this.channel = this.broker.createChannel({
      name: `${service}.events`,
      confirm: true,
      // A retry or dead-letter publish that is never confirmed must not pin the message forever.
      publishTimeout: 10000,
      setup: async (ch: ConfirmChannel) => {
        await declareServiceTopology(ch, ns, service, types, this.retryDelays, this.broker.queueArguments);
        this.current = ch;
      },
    });
    await this.channel.waitForConnect();
    if (types.length > 0) {
      await this.channel.consume(this.queue, (msg) => this.onMessage(msg), { noAck: false, prefetch: this.config.EVENT_PREFETCH });
    }
    this.logger.log(`consuming ${this.queue} for ${types.length} event type(s)`);
  }

  /** Stop taking messages, let the ones in flight finish (bounded), then close the channel. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.channel?.cancelAll().catch(() => undefined);
    if (this.inFlight > 0) {
      await Promise.race([new Promise<void>((r) => (this.idle = r)), new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS).unref())]);
    }
    await this.channel?.close().catch(() => undefined);
  }

  private discoverHandlers(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const proto = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const meta = this.reflector.get<HandlesEventMetadata | undefined>(HANDLES_EVENT, fn);
        if (!meta) continue;
        for (const type of meta.types) {
          if (!findEventDefinition(type)) throw new Error(`@HandlesEvent(${type}) on ${proto.constructor.name}.${method}: not in the event catalog`);
          const list = this.handlers.get(type) ?? [];
          list.push({ name: `${proto.constructor.name}.${method}`, ordered: !!meta.ordered, call: (fn as HandlerFn).bind(instance) });
          this.handlers.set(type, list);
        }
      }
    }
  }

  private onMessage(msg: ConsumeMessage): void {
    this.inFlight++;
    const delivery: Delivery = { msg, channel: this.current! };
    this.pending.push(delivery);
    this.unacked.add(delivery);
    // Deliveries parsed from one socket read arrive in one tick: wait for the rest of them before batching.
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump();
      });
    }
  }

  /** Starts batches from what has been delivered, at most MAX_BATCHES_IN_FLIGHT at a time. */
  private pump(): void {
    while (this.batchesRunning < MAX_BATCHES_IN_FLIGHT && this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      this.batchesRunning++;
      this.processBatch(batch)
        .catch((e) => {
          this.logger.error(`${batch.length} message(s) left unacknowledged (redelivered later): ${(e as Error).message}`);
          for (const d of batch) d.settled ??= 'abandon';
          this.flushAcks();
        })
        .finally(() => {
          this.batchesRunning--;
          this.inFlight -= batch.length;
          if (this.inFlight === 0) this.idle?.();
          this.pump();
        });
    }
  }

  private async processBatch(deliveries: Delivery[]): Promise<void> {
    const work: Work[] = [];
    const settled: Promise<void>[] = [];
    for (const d of deliveries) {
      const check = checkIncoming(d.msg.content);
      if (!check.ok) {
        const detail = Object.entries(check.errors).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ');
        settled.push(this.settle(d, () => this.deadLetter(d.msg, check.reason, `${check.reason}: ${detail}`, check.envelope?.type)));
        continue;
      }
      // Our outboxes seal sensitive fields already; a message published some other way must not reach handlers (and their tables) in clear.
      const def = findEventDefinition(check.envelope.type)!;
      const env = def.sensitive?.length ? { ...check.envelope, payload: sealSensitiveFields(def, check.envelope.payload, this.sealingKey, check.envelope.tenantId) } : check.envelope;
      const handlers = this.handlers.get(env.type);
      if (!handlers || handlers.length === 0) {
        // A binding left over from an older version of this service; nothing here wants it.
        this.metrics.consumed.inc({ type: env.type, outcome: 'unhandled' });
        d.settled = 'ack';
        continue;
      }
      work.push({ delivery: d, env, handlers, deferrals: numberHeader(d.msg, HEADERS.deferrals) });
    }
    if (work.length > 0) await this.handleAll(work);
    for (const w of work) settled.push(this.settle(w.delivery, () => this.afterCommit(w)));
    await Promise.all(settled);
    this.flushAcks();
  }

  /** Runs what must happen before the ack (a confirmed republish); a failure leaves it unacked. */
  private async settle(d: Delivery, before: () => Promise<void> | void): Promise<void> {
    try {
      await before();
      d.settled = 'ack';
    } catch (e) {
      d.settled = 'abandon';
      this.logger.error(`message ${d.msg.properties.messageId} left unacknowledged (redelivered later): ${(e as Error).message}`);
    }
  }

  /** Sends the acks of what is settled (see AckWindow: one frame per batch rather than per message). */
  private flushAcks(): void {
    const current = this.current;
    // After a reconnect the delivery tags belong to a dead channel: the broker redelivers, the inbox dedupes.
    this.unacked.forget((d) => d.channel !== current);
    for (const { delivery, multiple } of this.unacked.take()) this.ack(delivery, multiple);
  }

  private async afterCommit(w: Work): Promise<void> {
    if (w.error !== undefined) return this.retryOrDeadLetter(w.delivery.msg, w.env, w.error);
    if (w.outcome === 'deferred') {
      await this.republish(w.delivery.msg, retryQueue(this.broker.namespace, this.options.service, this.retryDelays[0]), { [HEADERS.deferrals]: w.deferrals + 1 });
    } else if (w.outcome === 'handled') {
      this.metrics.handlerLatency.observe({ type: w.env.type }, Math.max(0, Date.now() - Date.parse(w.env.timestamp)) / 1000);
    }
    this.metrics.consumed.inc({ type: w.env.type, outcome: w.outcome! });
  }

  /**
   * Sets the outcome (or error) of every message. Several messages share one transaction (one commit, one
   * inbox insert); each runs inside its own savepoint so a failing one is rolled back alone. Messages that
   * lose a lock conflict, and all of them if the shared transaction itself fails, are then handled one per
   * transaction, as if they had arrived alone.
   */
  private async handleAll(work: Work[]): Promise<void> {
    let alone = work;
    if (work.length > 1) {
      try {
        alone = await this.handleInOneTransaction(work);
      } catch (e) {
        this.logger.warn(`batch of ${work.length} events rolled back, handling them one by one: ${(e as Error).message}`);
        for (const w of work) w.outcome = w.error = undefined;
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
      const inserted: { message_id: string }[] = await runner.query(
        'INSERT INTO inbox (consumer, message_id) SELECT $1, id FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING message_id',
        [this.consumerName, work.map((w) => w.env.id)],
      );
      const fresh = new Set(inserted.map((r) => r.message_id));
      const savepoints = lazySavepoints(runner);
      for (const w of work) {
        // delete: a second copy of one message in the same batch is a duplicate of the first. Postgres
        // answers uuids in lower case; the envelope may carry upper case.
        if (!fresh.delete(w.env.id.toLowerCase())) {
          w.outcome = 'duplicate';
          continue;
        }
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
          if (e instanceof DeferForOrder) w.outcome = 'deferred';
          else if (isLockConflict(e)) alone.push(w);
          else w.error = e;
        }
      }
      // Fails if a handler swallowed a database error and left the transaction aborted (COMMIT would not).
      if (savepoints.held) await runner.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      await runner.commitTransaction();
      return alone;
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
    }
  }

  private async handleAlone(w: Work): Promise<void> {
    try {
      w.outcome = await this.dataSource.transaction(async (tx) => {
        const fresh = await tx.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id', [this.consumerName, w.env.id]);
        if (fresh.length === 0) return 'duplicate';
        return this.apply(tx, w);
      });
    } catch (e) {
      if (e instanceof DeferForOrder) w.outcome = 'deferred';
      else w.error = e;
    }
  }

  /** The handlers of one message, after its inbox record: 'handled', or 'stale' for an old ordered version. */
  private async apply(tx: EntityManager, w: Work): Promise<Outcome> {
    const { env, handlers } = w;
    let inOrder = true;
    if (handlers.some((h) => h.ordered) && typeof env.aggregateVersion === 'number') {
      inOrder = await this.checkOrder(tx, env, w.deferrals);
    }
    const ctx: RequestContext = { tenantId: env.tenantId, actor: env.actor, roles: [], correlationId: env.correlationId, causationId: env.id };
    await runWithContext(ctx, async () => {
      for (const h of handlers) if (inOrder || !h.ordered) await h.call(env, tx, ctx);
    });
    return inOrder ? 'handled' : 'stale';
  }

  /**
   * true: apply (and remember the version); false: stale, an equal or newer version was applied already.
   * Throws DeferForOrder when versions are missing in between and it may still wait for them. The row lock
   * serialises concurrent deliveries of one aggregate.
   */
  private async checkOrder(tx: EntityManager, env: Envelope, deferrals: number): Promise<boolean> {
    const version = env.aggregateVersion!;
    await tx.query('INSERT INTO inbox_aggregate_versions (consumer, aggregate_id, last_version) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING', [
      this.consumerName,
      env.aggregateId,
    ]);
    const [row] = await tx.query('SELECT last_version FROM inbox_aggregate_versions WHERE consumer = $1 AND aggregate_id = $2 FOR UPDATE', [
      this.consumerName,
      env.aggregateId,
    ]);
    const last = Number(row.last_version);
    if (version <= last) return false;
    if (version > last + 1 && deferrals < MAX_ORDER_DEFERRALS) throw new DeferForOrder();
    if (version > last + 1) this.logger.warn(`${env.type} ${env.id}: versions ${last + 1}..${version - 1} of ${env.aggregateId} never arrived; applying ${version}`);
    await tx.query('UPDATE inbox_aggregate_versions SET last_version = $3, updated_at = now() WHERE consumer = $1 AND aggregate_id = $2', [
      this.consumerName,
      env.aggregateId,
      version,
    ]);
    return true;
  }

  private async retryOrDeadLetter(msg: ConsumeMessage, env: Envelope, err: unknown): Promise<void> {
    const attempts = numberHeader(msg, HEADERS.attempts) + 1;
    const error = errorText(err);
    this.metrics.handlerErrors.inc({ type: env.type });
    if (attempts <= this.retryDelays.length) {
      const delay = this.retryDelays[attempts - 1];
      this.logger.warn(`${env.type} ${env.id} failed (attempt ${attempts}), retrying in ${delay} ms: ${error}`);
      await this.republish(msg, retryQueue(this.broker.namespace, this.options.service, delay), { [HEADERS.attempts]: attempts, [HEADERS.lastError]: error });
      this.metrics.retries.inc({ type: env.type, delay_ms: String(delay) });
      this.metrics.consumed.inc({ type: env.type, outcome: 'retried' });
      return;
    }
    this.logger.error(`${env.type} ${env.id} failed ${attempts} times, dead-lettered: ${error}`);
    await this.deadLetter(msg, 'handler_failed', error, env.type, attempts);
  }

  private async deadLetter(msg: ConsumeMessage, reason: RejectReason | 'handler_failed', error: string, type = 'unknown', attempts = numberHeader(msg, HEADERS.attempts)): Promise<void> {
    await this.republish(msg, deadLetterQueue(this.broker.namespace, this.options.service), {
      [HEADERS.reason]: reason,
      [HEADERS.lastError]: error,
      [HEADERS.attempts]: attempts,
      [HEADERS.deadLetterId]: randomUUID(),
      [HEADERS.originalQueue]: this.queue,
      [HEADERS.failedAt]: new Date().toISOString(),
    });
    this.metrics.deadLetters.inc({ type, reason });
    this.metrics.consumed.inc({ type, outcome: 'dead_lettered' });
  }

  /** Same body and properties, extra headers, to a queue through the default exchange; waits for the confirm. */
  private async republish(msg: ConsumeMessage, queue: string, headers: Record<string, unknown>): Promise<void> {
    const p = msg.properties;
    await this.channel!.publish('', queue, msg.content, {
      persistent: true,
      mandatory: true,
      contentType: p.contentType ?? 'application/json',
      contentEncoding: p.contentEncoding,
      messageId: p.messageId,
      correlationId: p.correlationId,
      type: p.type,
      timestamp: p.timestamp,
      appId: p.appId,
      headers: { ...stripDeath(p.headers), ...headers },
    });
  }

  private ack(d: Delivery, multiple: boolean): void {
    try {
      d.channel.ack(d.msg, multiple);
    } catch (e) {
      this.logger.warn(`ack failed (message will be redelivered): ${(e as Error).message}`);
    }
  }
}

/**
 * One savepoint per message, taken only when its handlers first touch the database (a handler that does not
 * costs no round trip), by wrapping the query runner's `query`, which everything on `tx` goes through. The
 * previous message's savepoint is released in the same round trip. At most one is held at a time.
 */
function lazySavepoints(runner: QueryRunner) {
  const query = runner.query.bind(runner);
  const state = {
    /** The current message took its savepoint (a rollback to it undoes exactly that message). */
    taken: false,
    /** A savepoint exists (the current message's or an earlier one's). */
    held: false,
    /** Set when taking a savepoint failed: the transaction is unusable. */
    failure: undefined as unknown,
    /** Before each message's handlers. */
    next() {
      due = true;
      state.taken = false;
    },
    /** After them (or their failure): our own statements need no savepoint. */
    done() {
      due = false;
    },
  };
  let due = false;
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    if (!due) return query(...args);
    due = false;
    const take = query(state.held ? `RELEASE SAVEPOINT ${SAVEPOINT}; SAVEPOINT ${SAVEPOINT}` : `SAVEPOINT ${SAVEPOINT}`).then(
      () => {
        state.held = state.taken = true;
      },
      (e: unknown) => {
        state.failure = e;
        throw e;
      },
    );
    return take.then(() => query(...args));
  }) as QueryRunner['query'];
  return state;
}

/** Deadlock, serialization failure, lock timeout: losing a lock race, not a failing handler. */
function isLockConflict(e: unknown): boolean {
  const code = (e as { code?: string; driverError?: { code?: string } })?.code ?? (e as { driverError?: { code?: string } })?.driverError?.code;
  return code === '40P01' || code === '40001' || code === '55P03';
}

function numberHeader(msg: ConsumeMessage, name: string): number {
  const v = Number(msg.properties.headers?.[name] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

/** `x-death` grows with every pass through a retry queue; our own headers carry what matters. */
function stripDeath(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const { 'x-death': _d, 'x-first-death-exchange': _e, 'x-first-death-queue': _q, 'x-first-death-reason': _r, ...rest } = headers ?? {};
  return rest;
}

function errorText(err: unknown): string {
  const e = err as Error;
  const text = e?.stack ?? e?.message ?? String(err);
  return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
}
