import { LatencySummary } from './latency';
import type { SoakReport } from './soak-report';

export type ScenarioStatus = 'ok' | 'not available' | 'error';

/** Peak and last resident set size per app during one scenario, in MB. */
export type RssByApp = Record<string, { startMb: number; peakMb: number; endMb: number }>;

/** One measured figure of a scenario (a scenario may report several, e.g. test and live mode). */
export interface Measurement {
  /** Stable key used in goals and in the JSON (`gateway.read-event`). */
  key: string;
  label: string;
  /** Operations per second in `unit`. */
  throughput: number;
  unit: string;
  count: number;
  durationMs: number;
  latencyMs?: LatencySummary;
  errors?: number;
  /** Error samples (status codes, messages), at most a few, to see why something failed. */
  errorSamples?: string[];
  notes?: string;
  /**
   * CPU milliseconds one operation cost each part of the machine over the measured phase (bench/lib/proc-stats.ts
   * `machineCpu`): the apps by name, postgres, rabbitmq, bench (the load generator's process), other, and all.
   */
  cpuMsPerOp?: Record<string, number>;
  extra?: Record<string, unknown>;
}

export interface ScenarioResult {
  name: string;
  kind: 'baseline' | 'service';
  status: ScenarioStatus;
  reason?: string;
  measurements: Measurement[];
  rss?: RssByApp;
  /** When the scenario started (ISO); it ended wallMs later. */
  startedAt?: string;
  wallMs: number;
  /** The soak scenario's per-minute samples and RSS slopes. */
  soak?: SoakReport;
}

export class NotAvailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotAvailable';
  }
}
