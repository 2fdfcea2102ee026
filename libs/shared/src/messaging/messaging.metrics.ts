import { Injectable } from '@nestjs/common';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../observability/metrics.service';

/** The seed's Event Monitoring on the app's own registry: throughput, latency, errors, retries, backlog. */
@Injectable()
export class MessagingMetrics {
  readonly published: Counter<'type'>;
  readonly publishErrors: Counter<'type'>;
  readonly consumed: Counter<'type' | 'outcome'>;
  readonly handlerLatency: Histogram<'type'>;
  readonly handlerErrors: Counter<'type'>;
  readonly retries: Counter<'type' | 'delay_ms'>;
  readonly deadLetters: Counter<'type' | 'reason'>;
  readonly queueDepth: Gauge<'queue'>;
  readonly unpublished: Gauge<string>;
  readonly purged: Counter<'table'>;

  constructor(metrics: MetricsService) {
    this.published = metrics.counter<'type'>({
      name: 'domain_events_published_total',
      help: 'Domain events published by the outbox relay (confirmed by the broker)',
      labelNames: ['type'],
    });
    this.publishErrors = metrics.counter<'type'>({
      name: 'domain_events_publish_errors_total',
      help: 'Outbox rows whose publish was not confirmed (nack, return, timeout)',
      labelNames: ['type'],
    });
    this.consumed = metrics.counter<'type' | 'outcome'>({
      name: 'domain_events_consumed_total',
      help: 'Domain events taken off the service queue, by outcome (handled, duplicate, stale, deferred, unhandled, retried, dead_lettered)',
      labelNames: ['type', 'outcome'],
    });
    this.handlerLatency = metrics.histogram<'type'>({
      name: 'domain_event_handled_latency_seconds',
      help: 'From the envelope timestamp (emitted) to the handler transaction committed',
      labelNames: ['type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    });
    this.handlerErrors = metrics.counter<'type'>({
      name: 'domain_event_handler_errors_total',
      help: 'Handler failures (each leads to a retry or a dead letter)',
      labelNames: ['type'],
    });
    this.retries = metrics.counter<'type' | 'delay_ms'>({
      name: 'domain_event_retries_total',
      help: 'Messages sent to a retry stage',
      labelNames: ['type', 'delay_ms'],
    });
    this.deadLetters = metrics.counter<'type' | 'reason'>({
      name: 'domain_event_dead_letters_total',
      help: 'Messages sent to the dead-letter queue',
      labelNames: ['type', 'reason'],
    });
    this.queueDepth = metrics.gauge<'queue'>({
      name: 'domain_event_queue_depth',
      help: 'Ready messages in the service queue, its retry stages and its DLQ',
      labelNames: ['queue'],
    });
    this.unpublished = metrics.gauge({ name: 'outbox_unpublished_rows', help: 'Outbox rows not yet confirmed by the broker' });
    this.purged = metrics.counter<'table'>({ name: 'messaging_retention_purged_rows_total', help: 'Rows removed by the retention job', labelNames: ['table'] });
  }
}
