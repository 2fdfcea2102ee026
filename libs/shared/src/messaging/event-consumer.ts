import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { DataSource } from 'typeorm';
import { findEventDefinition } from '../catalog/event-catalog';
import { ServiceConfig } from '../config/service-config';
import { sealingKey } from '../security/sealed-fields';
import { AckWindow, Settleable } from './ack-window';
import { BrokerConnection } from './broker-connection';
import { BatchHandlerFn, ConsumerTransactions, HandlerFn, RegisteredHandler, Work as HandledWork } from './consumer-transactions';
import { EventBatchItem } from './handles-event.decorator';
import { checkIncoming } from './envelope-validation';
import { FailedMessages, orderWaitOf } from './failed-messages';
import { HANDLES_EVENT, HandlesEventMetadata } from './handles-event.decorator';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { sealSensitiveFields } from './sensitive-fields';
import { declareServiceTopology, parseRetryDelays, serviceQueue } from './topology';

const SHUTDOWN_GRACE_MS = 10000;
/**
 * Messages that share one transaction at most (one commit, one inbox insert). Below 64: each message that
 * writes gets a subtransaction id, and past 64 in one transaction Postgres overflows its per-backend cache of
 * them, which slows every other session's snapshots.
 */
const MAX_BATCH = 50;
/**
 * Transactions (pool connections) the consumer holds at once. Two: while one commits, the next batch is
 * handled; more would mostly take connections from the service's own requests. EVENT_PREFETCH (100 by
 * default) lets both be full.
 */
const MAX_BATCHES_IN_FLIGHT = 2;

interface Delivery extends Settleable {
  msg: ConsumeMessage;
  /** The channel that delivered it: an ack on a newer channel would be a protocol error. */
  channel: ConfirmChannel;
}

interface Work extends HandledWork {
  delivery: Delivery;
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
  private readonly failed: FailedMessages;
  private readonly transactions: ConsumerTransactions;
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
    this.failed = new FailedMessages({
      channel: () => this.channel!,
      metrics,
      namespace: broker.namespace,
      service: options.service,
      queue: this.queue,
      retryDelays: this.retryDelays,
    });
    this.transactions = new ConsumerTransactions(dataSource, this.consumerName, this.logger);
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
          list.push(registered(`${proto.constructor.name}.${method}`, meta, (fn as HandlerFn | BatchHandlerFn).bind(instance)));
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
        const detail = Object.entries(check.errors)
          .map(([k, v]) => `${k}: ${v.join(', ')}`)
          .join('; ');
        settled.push(this.settle(d, () => this.failed.deadLetter(d.msg, check.reason, `${check.reason}: ${detail}`, check.envelope?.type)));
        continue;
      }
      // Our outboxes seal sensitive fields already; a message published some other way must not reach handlers (and their tables) in clear.
      const def = findEventDefinition(check.envelope.type)!;
      const env = def.sensitive?.length
        ? { ...check.envelope, payload: sealSensitiveFields(def, check.envelope.payload, this.sealingKey, check.envelope.tenantId) }
        : check.envelope;
      const handlers = this.handlers.get(env.type);
      if (!handlers || handlers.length === 0) {
        // A binding left over from an older version of this service; nothing here wants it.
        this.metrics.consumed.inc({ type: env.type, outcome: 'unhandled' });
        d.settled = 'ack';
        continue;
      }
      work.push({ delivery: d, env, handlers, wait: orderWaitOf(d.msg) });
    }
    if (work.length > 0) await this.transactions.handleAll(work);
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
    if (w.error !== undefined) return this.failed.retryOrDeadLetter(w.delivery.msg, w.env, w.error);
    if (w.outcome === 'deferred') {
      await this.failed.deferForOrder(w.delivery.msg, w.deferral!);
    } else if (w.outcome === 'handled') {
      this.metrics.handlerLatency.observe({ type: w.env.type }, Math.max(0, Date.now() - Date.parse(w.env.timestamp)) / 1000);
    }
    this.metrics.consumed.inc({ type: w.env.type, outcome: w.outcome! });
  }

  private ack(d: Delivery, multiple: boolean): void {
    try {
      d.channel.ack(d.msg, multiple);
    } catch (e) {
      this.logger.warn(`ack failed (message will be redelivered): ${(e as Error).message}`);
    }
  }
}

function registered(name: string, meta: HandlesEventMetadata, fn: HandlerFn | BatchHandlerFn): RegisteredHandler {
  if (!meta.batch) return { name, ordered: !!meta.ordered, call: fn as HandlerFn };
  const batch = fn as BatchHandlerFn;
  // Alone (a message delivered by itself, or one handled again after its run failed), it is a batch of one.
  return { name, ordered: false, batch, call: (event, tx, ctx) => batch([{ event, ctx } as EventBatchItem], tx) };
}
