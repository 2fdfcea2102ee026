import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '@app/shared/observability/metrics.service';

/** Dispatcher metrics on /metrics: per channel outcomes, creation → sent latency, cost per tenant, backlog. */
@Injectable()
export class JtdMetrics {
  readonly sent: Counter<string>;
  readonly failed: Counter<string>;
  readonly retried: Counter<string>;
  readonly latency: Histogram<string>;
  readonly cost: Counter<string>;
  readonly held: Gauge<string>;
  readonly scheduled: Gauge<string>;
  readonly deliveryReports: Counter<string>;

  constructor(metrics: MetricsService) {
    this.sent = metrics.counter({ name: 'jtd_sent_total', help: 'Jobs sent to a provider', labelNames: ['channel'] });
    this.failed = metrics.counter({ name: 'jtd_failed_total', help: 'Jobs failed for good', labelNames: ['channel', 'code'] });
    this.retried = metrics.counter({ name: 'jtd_retried_total', help: 'Automatic retries scheduled', labelNames: ['channel'] });
    this.latency = metrics.histogram({ name: 'jtd_created_to_sent_seconds', help: 'From job creation to provider acceptance', labelNames: ['channel'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30, 300, 3600] });
    this.cost = metrics.counter({ name: 'jtd_cost_total', help: 'Channel cost accrued', labelNames: ['tenant', 'channel'] });
    this.held = metrics.gauge({ name: 'jtd_held_jobs', help: 'Jobs held by a tenant limit', labelNames: ['tenant'] });
    this.scheduled = metrics.gauge({ name: 'jtd_scheduled_jobs', help: 'Jobs waiting for their time (schedule, quiet hours, retry)', labelNames: ['tenant'] });
    this.deliveryReports = metrics.counter({ name: 'jtd_delivery_reports_total', help: 'Provider delivery reports', labelNames: ['channel', 'status'] });
  }
}
