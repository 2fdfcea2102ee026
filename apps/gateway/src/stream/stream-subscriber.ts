import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { declareDomainExchange, domainExchange, gatewayStreamQueue } from '@app/shared/messaging/topology';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { GatewayConfig } from '../gateway.config';
import { BrokerConnection } from '../rpc/broker-connection';
import { StreamHub } from './stream-hub';
import { changesOf, streamedEventTypes } from './stream-topics';

/** The broker keeps at most this many messages for a replica that falls behind (the oldest go first). */
const QUEUE_MAX_LENGTH = 100_000;
/** At boot, how long the gateway waits for its stream queue before it serves anyway (streams opened before are reset). */
const BOOT_WAIT_MS = 3000;

/**
 * Feeds the replica's StreamHub from the domain-event exchange: a queue of its own (exclusive, auto-deleted
 * with the connection), bound to the types the stream maps (from the catalog), on the gateway's one broker
 * connection. No acknowledgements and no inbox: a lost message only costs a reconnecting client a `reset`,
 * and the hub keeps nothing durable. When the connection comes back, the queue is declared again and the
 * hub told (open streams reset: what happened in between was not heard).
 */
@Injectable()
export class StreamSubscriber implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('StreamSubscriber');
  private channel?: ChannelWrapper;
  private readonly queue: string;
  private readonly malformed;

  constructor(
    private readonly broker: BrokerConnection,
    private readonly config: GatewayConfig,
    private readonly hub: StreamHub,
    metrics: MetricsService,
  ) {
    this.queue = gatewayStreamQueue(config.BROKER_NAMESPACE, randomBytes(6).toString('hex'));
    this.malformed = metrics.counter({ name: 'gateway_stream_malformed_messages_total', help: 'Messages on the stream queue that were not JSON' });
  }

  /** Binds the queue before the gateway takes requests when the broker is there (waits at most a few seconds). */
  async onModuleInit(): Promise<void> {
    const ns = this.config.BROKER_NAMESPACE;
    const types = streamedEventTypes();
    const queueArgs = this.config.BROKER_QUEUE_EXPIRES_MS ? { 'x-expires': this.config.BROKER_QUEUE_EXPIRES_MS } : {};
    this.channel = this.broker.manager.createChannel({
      name: 'gateway-stream',
      confirm: false,
      setup: async (ch: Channel) => {
        await declareDomainExchange(ch, ns, queueArgs);
        await ch.assertQueue(this.queue, {
          exclusive: true,
          autoDelete: true,
          durable: false,
          arguments: { 'x-max-length': QUEUE_MAX_LENGTH, 'x-overflow': 'drop-head' },
        });
        await Promise.all(types.map((type) => ch.bindQueue(this.queue, domainExchange(ns), type)));
        await ch.consume(this.queue, (msg) => this.onMessage(msg), { noAck: true });
        this.hub.listening();
        this.logger.log(`listening for ${types.length} event types on ${this.queue}`);
      },
    });
    this.channel.on('error', (err) => this.logger.warn(`stream channel error: ${(err as Error).message}`));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.channel.waitForConnect().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, BOOT_WAIT_MS)))]);
    clearTimeout(timer);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel?.close().catch(() => undefined);
  }

  private onMessage(msg: ConsumeMessage | null): void {
    if (!msg) return;
    let envelope: unknown;
    try {
      envelope = JSON.parse(msg.content.toString('utf8'));
    } catch {
      this.malformed.inc();
      return;
    }
    for (const change of changesOf(envelope)) this.hub.receive(change);
  }
}
