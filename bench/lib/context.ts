import type { LoadGenerator } from './autocannon-load';
import { HttpClient } from './http-client';
import { RssSampler } from './proc-stats';
import { Measurement } from './result';
import type { SoakReport } from './soak-report';
import { AppProcess } from './stack';

export interface BenchOptions {
  quick: boolean;
  /** Trial runs write `<ts>.tmp.json` (git-ignored) instead of a result to commit. */
  trial: boolean;
  warmupMs: number;
  durationMs: number;
  /** Closed-loop HTTP connections for the gateway read/transition scenarios and the HTTP baseline. */
  connections: number;
  /** Events in the tenant for the cockpit scenario. */
  cockpitEvents: number;
  /** Contracts of 1,000 events activated one after the other. */
  bigActivations: number;
  only?: string[];
  skip: string[];
  /** Who drives the HTTP scenarios: autocannon, the bench's own generator, or both in turn (to compare). */
  generator: LoadGenerator;
  /** Minutes of the soak scenario (full runs, or `--only=soak`). */
  soakMinutes: number;
}

/** A seeded tenant: tokens and the data the scenarios read and move. */
export interface SeedState {
  tenantId: string;
  adminToken: string;
  platformToken: string;
  /** Service events of one activated contract (read + transition scenarios). */
  eventIds: string[];
  contractIds: string[];
  /** Events materialised in the tenant so far (the cockpit tops this up). */
  eventsInTenant: number;
}

export interface BenchContext {
  opts: BenchOptions;
  distDir: string;
  logDir: string;
  /** Superuser URL of the server's admin database (to create and drop scratch databases). */
  adminUrl: string;
  /** Admin URL of the bench database (superuser), for baselines and bench-only setup. */
  databaseUrl: string;
  /** The same database without credentials: apps add their own role. */
  appDatabaseUrl: string;
  database: string;
  amqpUrl: string;
  namespace: string;
  rss: RssSampler;
  /** Processes other than the apps whose RSS the sampler should follow (baseline servers, fake provider). */
  extraPids: Record<string, number>;
  apps: AppProcess[];
  /** Why the stack is not there (service scenarios report it as "not available"). */
  stackError?: string;
  gateway?: HttpClient;
  gatewayUrl?: string;
  jwtSecret: string;
  seed?: SeedState;
  seedError?: string;
  /** Fake provider for the JTD pipeline (started before the dispatcher so its URL can be configured). */
  fakeProviderUrl?: string;
  /** Every measurement of the run so far by key (the soak runs at half of the capacities measured before it). */
  measured: Record<string, Measurement>;
  /** Set by the soak scenario; main.ts attaches it to the soak's result. */
  soak?: SoakReport;
  log(msg: string): void;
}
