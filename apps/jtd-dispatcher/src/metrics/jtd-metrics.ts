import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';

/**
 * Dispatcher metrics on /metrics: per channel outcomes, creation → sent latency, cost, backlog. Tenant ids
 * become labels only with METRICS_TENANT_LABELS=true: otherwise whoever reads /metrics learns which
 * tenants exist and how much each sends, and the series grow with every tenant.
 */
@Injectable()
export class JtdMetrics {
  readonly sent: Counter<string>;
  readonly failed: Counter<string>;
  readonly retried: Counter<string>;
  readonly latency: Histogram<string>;
  readonly deliveryReports: Counter<string>;
  /** Per provider of a channel: its circuit (0 closed, 1 open, 2 half-open), how often it opened, calls it refused or skipped. */
  readonly circuitState: Gauge<string>;
  readonly circuitOpens: Counter<string>;
  readonly providerRejected: Counter<string>;
  readonly providerCalls: Counter<string>;
  readonly providerFailovers: Counter<string>;
  readonly channelFallbacks: Counter<string>;
  private readonly cost: Counter<string>;
  private readonly held: Gauge<string>;
  private readonly scheduled: Gauge<string>;
  private readonly perTenant: boolean;

  constructor(metrics: MetricsService, config: JtdDispatcherConfig) {
    this.perTenant = config.METRICS_TENANT_LABELS;
    const tenant = this.perTenant ? ['tenant'] : [];
    this.sent = metrics.counter({ name: 'jtd_sent_total', help: 'Jobs sent to a provider', labelNames: ['channel'] });
    this.failed = metrics.counter({ name: 'jtd_failed_total', help: 'Jobs failed for good', labelNames: ['channel', 'code'] });
    this.retried = metrics.counter({ name: 'jtd_retried_total', help: 'Automatic retries scheduled', labelNames: ['channel'] });
    this.latency = metrics.histogram({
      name: 'jtd_created_to_sent_seconds',
      help: 'From job creation to provider acceptance',
      labelNames: ['channel'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30, 300, 3600],
    });
    this.cost = metrics.counter({ name: 'jtd_cost_total', help: 'Channel cost accrued', labelNames: [...tenant, 'channel'] });
    this.held = metrics.gauge({ name: 'jtd_held_jobs', help: 'Jobs held by a tenant limit', labelNames: tenant });
    this.scheduled = metrics.gauge({ name: 'jtd_scheduled_jobs', help: 'Jobs waiting for their time (schedule, quiet hours, retry)', labelNames: tenant });
    this.deliveryReports = metrics.counter({ name: 'jtd_delivery_reports_total', help: 'Provider delivery reports', labelNames: ['channel', 'status'] });
    this.circuitState = metrics.gauge({
      name: 'jtd_provider_circuit_state',
      help: 'Circuit breaker of a provider in this process: 0 closed, 1 open, 2 half-open',
      labelNames: ['channel', 'provider'],
    });
    this.circuitOpens = metrics.counter({
      name: 'jtd_provider_circuit_opens_total',
      help: 'Times a provider circuit opened',
      labelNames: ['channel', 'provider'],
    });
    this.providerRejected = metrics.counter({
      name: 'jtd_provider_rejected_total',
      help: 'Sends not made to a provider: circuit_open (breaker) or throttled (its Retry-After)',
      labelNames: ['channel', 'provider', 'reason'],
    });
    this.providerCalls = metrics.counter({
      name: 'jtd_provider_calls_total',
      help: 'Calls to a provider by outcome (sent, retryable, permanent)',
      labelNames: ['channel', 'provider', 'outcome'],
    });
    this.providerFailovers = metrics.counter({
      name: 'jtd_provider_failovers_total',
      help: 'Sends that went on to the next provider of the channel',
      labelNames: ['channel', 'from', 'to'],
    });
    this.channelFallbacks = metrics.counter({
      name: 'jtd_channel_fallbacks_total',
      help: 'Jobs moved on to their tenant’s fallback channel',
      labelNames: ['from', 'to'],
    });
  }

  addCost(tenantId: string, channel: string, amount: number): void {
    this.cost.inc(this.perTenant ? { tenant: tenantId, channel } : { channel }, amount);
  }

  /** Held and scheduled jobs, from one count grouped by tenant: summed unless tenants are labels. */
  setWaiting(rows: ReadonlyArray<{ tenant: string; status: string; n: number }>): void {
    // reset first: a tenant whose last held job was released must drop to nothing, not keep its old count
    this.held.reset();
    this.scheduled.reset();
    for (const r of rows) {
      const gauge = r.status === 'held' ? this.held : this.scheduled;
      if (this.perTenant) gauge.set({ tenant: r.tenant }, r.n);
      else gauge.inc(r.n);
    }
  }
}
