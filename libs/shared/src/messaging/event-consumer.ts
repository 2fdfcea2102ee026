import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { findEventDefinition } from '../catalog/event-catalog';
import { ServiceConfig } from '../config/service-config';
import { RequestContext, runWithContext } from '../context/request-context';
import { BrokerConnection } from './broker-connection';
import { Envelope } from './envelope';
import { checkIncoming, RejectReason } from './envelope-validation';
import { HANDLES_EVENT, HandlesEventMetadata } from './handles-event.decorator';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
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

class DeferForOrder extends Error {}

type Outcome = 'handled' | 'duplicate' | 'stale' | 'deferred';

/**
 * Consumes the service's queue: every `@HandlesEvent` method of every provider, bound to exactly the types
 * they declare. Each message is validated against the catalog, then handled in ONE transaction with its
 * inbox record (a redelivery or replay finds the record and has no second effect). A failing handler is
 * retried through the delay queues and finally dead-lettered with its error; a message that cannot be
 * handled at all (unknown type, invalid payload) is dead-lettered at once. Acks are manual and come after
 * the outcome is durable (commit, or the confirmed republish to a retry queue or the DLQ).
 */
@Injectable()
export class EventConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventConsumer');
  private readonly handlers = new Map<string, RegisteredHandler[]>();
  private readonly retryDelays: number[];
  private channel?: ChannelWrapper;
  /** The channel that delivered what is in flight: an ack on a newer channel would be a protocol error. */
  private current?: ConfirmChannel;
  private inFlight = 0;
  private idle?: () => void;
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
    const channel = this.current!;
    this.inFlight++;
    this.process(msg, channel)
      .catch((e) => this.logger.error(`message ${msg.properties.messageId} left unacknowledged (redelivered later): ${(e as Error).message}`))
      .finally(() => {
        this.inFlight--;
        if (this.inFlight === 0) this.idle?.();
      });
  }

  private async process(msg: ConsumeMessage, channel: ConfirmChannel): Promise<void> {
    const check = checkIncoming(msg.content);
    if (!check.ok) {
      const detail = Object.entries(check.errors).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ');
      await this.deadLetter(msg, check.reason, `${check.reason}: ${detail}`, check.envelope?.type);
      return this.ack(msg, channel);
    }
    const env = check.envelope;
    const handlers = this.handlers.get(env.type);
    if (!handlers || handlers.length === 0) {
      // A binding left over from an older version of this service; nothing here wants it.
      this.metrics.consumed.inc({ type: env.type, outcome: 'unhandled' });
      return this.ack(msg, channel);
    }
    let outcome: Outcome;
    try {
      outcome = await this.handle(env, handlers, numberHeader(msg, HEADERS.deferrals));
    } catch (err) {
      await this.retryOrDeadLetter(msg, env, err);
      return this.ack(msg, channel);
    }
    if (outcome === 'deferred') {
      await this.republish(msg, retryQueue(this.broker.namespace, this.options.service, this.retryDelays[0]), {
        [HEADERS.deferrals]: numberHeader(msg, HEADERS.deferrals) + 1,
      });
    } else if (outcome === 'handled') {
      this.metrics.handlerLatency.observe({ type: env.type }, Math.max(0, Date.now() - Date.parse(env.timestamp)) / 1000);
    }
    this.metrics.consumed.inc({ type: env.type, outcome });
    this.ack(msg, channel);
  }

  private async handle(env: Envelope, handlers: RegisteredHandler[], deferrals: number): Promise<Outcome> {
    try {
      return await this.dataSource.transaction(async (tx) => {
        const fresh = await tx.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id', [this.consumerName, env.id]);
        if (fresh.length === 0) return 'duplicate';
        let inOrder = true;
        if (handlers.some((h) => h.ordered) && typeof env.aggregateVersion === 'number') {
          inOrder = await this.checkOrder(tx, env, deferrals);
        }
        const ctx: RequestContext = { tenantId: env.tenantId, actor: env.actor, roles: [], correlationId: env.correlationId, causationId: env.id };
        await runWithContext(ctx, async () => {
          for (const h of handlers) if (inOrder || !h.ordered) await h.call(env, tx, ctx);
        });
        return inOrder ? 'handled' : 'stale';
      });
    } catch (e) {
      if (e instanceof DeferForOrder) return 'deferred';
      throw e;
    }
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

  private ack(msg: ConsumeMessage, channel: ConfirmChannel): void {
    // After a reconnect the delivery tag belongs to a dead channel: the broker redelivers, the inbox dedupes.
    if (channel !== this.current) return;
    try {
      channel.ack(msg);
    } catch (e) {
      this.logger.warn(`ack failed (message will be redelivered): ${(e as Error).message}`);
    }
  }
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
