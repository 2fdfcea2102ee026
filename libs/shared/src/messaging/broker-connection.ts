import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import amqp, { AmqpConnectionManager, ChannelWrapper, CreateChannelOpts } from 'amqp-connection-manager';
import { BaseConfig } from '../config/service-config';
import { HealthService } from '../observability/health.service';
import { amqpUrls } from './amqp-urls';
import { coalesceAmqpWrites } from './amqp-write-coalescing';

/**
 * The service's one AMQP connection for domain events (the RPC server has its own). Reconnects on its own,
 * to the next node of `AMQP_URL` when it names a cluster;
 * channels created from it re-run their setup (topology, consumers) after every reconnect. `noDelay`: with
 * Nagle's algorithm on, small publishes and acks wait for each other (45 ms round trips on this machine).
 */
@Injectable()
export class BrokerConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Broker');
  private manager?: AmqpConnectionManager;

  constructor(
    private readonly config: BaseConfig,
    private readonly health: HealthService,
  ) {}

  get namespace(): string {
    return this.config.BROKER_NAMESPACE;
  }

  /** Queue arguments every declared queue carries (an expiry for ephemeral stacks). */
  get queueArguments(): Record<string, unknown> {
    return this.config.BROKER_QUEUE_EXPIRES_MS ? { 'x-expires': this.config.BROKER_QUEUE_EXPIRES_MS } : {};
  }

  onModuleInit(): void {
    coalesceAmqpWrites();
    this.manager = amqp.connect(amqpUrls(this.config.AMQP_URL), {
      heartbeatIntervalInSeconds: 5,
      reconnectTimeInSeconds: 1,
      connectionOptions: { noDelay: true },
    });
    this.manager.on('disconnect', ({ err }) => this.logger.warn(`broker connection lost: ${err?.message ?? 'closed'}`));
    this.manager.on('connect', () => this.logger.log('broker connected'));
    this.health.register('broker', async () => {
      if (!this.isConnected()) throw new Error('not connected to RabbitMQ');
    });
  }

  isConnected(): boolean {
    return this.manager?.isConnected() ?? false;
  }

  createChannel(opts: CreateChannelOpts): ChannelWrapper {
    if (!this.manager) throw new Error('BrokerConnection used before module init');
    return this.manager.createChannel(opts);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.manager?.close().catch(() => undefined);
  }
}
