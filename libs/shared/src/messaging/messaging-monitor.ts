import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import { DataSource } from 'typeorm';
import { PeriodicJob } from '../app/periodic-job';
import { one, sql } from '../db/sql';
import { ServiceConfig } from '../config/service-config';
import { BrokerConnection } from './broker-connection';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { deadLetterQueue, parseRetryDelays, retryQueue, serviceQueue } from './topology';

const REFRESH_MS = 5000;

/**
 * Backlog gauges (queue depth of the service's queues, unpublished outbox rows), refreshed on a timer
 * rather than on scrape, so a slow broker or database never makes /metrics hang.
 */
@Injectable()
export class MessagingMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private channel?: ChannelWrapper;
  // A failed refresh (broker or database away) keeps the last values; health checks report the outage.
  private readonly job = new PeriodicJob({ name: 'messaging-monitor', everyMs: REFRESH_MS, failureLevel: 'debug', run: () => this.refresh() });

  constructor(
    private readonly dataSource: DataSource,
    private readonly broker: BrokerConnection,
    private readonly metrics: MessagingMetrics,
    private readonly config: ServiceConfig,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  onApplicationBootstrap(): void {
    // A plain channel of its own: checkQueue on a missing queue closes the channel it runs on.
    this.channel = this.broker.createChannel({ name: `${this.options.service}.monitor`, confirm: false });
    this.job.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.job.stop();
    await this.channel?.close().catch(() => undefined);
  }

  async refresh(): Promise<void> {
    const { count } = await one<{ count: number }>(this.dataSource.manager, sql`SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL`);
    this.metrics.unpublished.set(count);
    if (!this.broker.isConnected() || !this.channel) return;
    const ns = this.broker.namespace;
    const s = this.options.service;
    const queues = [serviceQueue(ns, s), deadLetterQueue(ns, s), ...parseRetryDelays(this.config.EVENT_RETRY_DELAYS_MS).map((d) => retryQueue(ns, s, d))];
    for (const q of queues) {
      const ok = await this.channel.checkQueue(q).catch(() => undefined);
      if (ok) this.metrics.queueDepth.set({ queue: q }, ok.messageCount);
    }
  }
}
