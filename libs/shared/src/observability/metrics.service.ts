import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, CounterConfiguration, Gauge, GaugeConfiguration, Histogram, HistogramConfiguration, Registry } from 'prom-client';

/**
 * One Prometheus registry per app (not prom-client's global one), so several apps can run in one process
 * in tests. Metrics are created once by name and shared by whoever asks for the same name.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly metrics = new Map<string, unknown>();

  constructor(service?: string) {
    if (service) this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(cfg: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return this.once(cfg.name, () => new Counter({ ...cfg, registers: [this.registry] }));
  }

  gauge<L extends string>(cfg: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return this.once(cfg.name, () => new Gauge({ ...cfg, registers: [this.registry] }));
  }

  histogram<L extends string>(cfg: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return this.once(cfg.name, () => new Histogram({ ...cfg, registers: [this.registry] }));
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  private once<T>(name: string, make: () => T): T {
    if (!this.metrics.has(name)) this.metrics.set(name, make());
    return this.metrics.get(name) as T;
  }
}
