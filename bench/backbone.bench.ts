import 'reflect-metadata';
import { INestApplicationContext, Injectable, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect } from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { AppConfigModule } from '../libs/shared/src/config/config.module';
import { loadConfig } from '../libs/shared/src/config/load-config';
import { ServiceConfig } from '../libs/shared/src/config/service-config';
import { RequestContext } from '../libs/shared/src/context/request-context';
import { DatabaseModule } from '../libs/shared/src/db/database.module';
import { Envelope } from '../libs/shared/src/messaging/envelope';
import { HandlesEvent } from '../libs/shared/src/messaging/handles-event.decorator';
import { MESSAGING_MIGRATIONS, MessagingModule } from '../libs/shared/src/messaging/messaging.module';
import { Outbox } from '../libs/shared/src/messaging/outbox';
import { deleteBrokerNames } from '../libs/shared/src/messaging/testing/delete-broker-names';
import { topologyNames } from '../libs/shared/src/messaging/topology';
import { ObservabilityModule } from '../libs/shared/src/observability/observability.module';
import { round } from './lib/latency';
import { CpuReading, startCpuMeter } from './lib/proc-stats';
import { provisioning, stackServices } from './lib/repo';

/**
 * Publish→consume of the messaging backbone (outbox → relay → RabbitMQ → consumer with inbox, one
 * transaction per event on each side) next to raw amqplib on the same broker in the same run (confirm
 * channel, persistent, quorum queue, manual ack: the least a reliable pipeline does).
 *
 * Two phases per path:
 * - flood: N events from P concurrent producers (each waits for its own commit / confirm, like a request);
 *   rate = N / (first send → last handled);
 * - paced: events at a fixed rate well under capacity; latency without a backlog in front of it.
 * Latency = emit (the producer starts the transaction / the publish) → handler invoked, in one process.
 *
 * Runs on its own scratch database and broker namespace, removed afterwards.
 */
export interface BackboneBenchOptions {
  /** A superuser URL (creates and drops the scratch database). */
  adminDatabaseUrl: string;
  amqpUrl: string;
  floodEvents?: number;
  /** Warm-up floods of each pipeline go on this long (at least one; V8 is still compiling after 300 events). */
  warmupMs?: number;
  producers?: number;
  pacedEvents?: number;
  pacedPerSecond?: number;
  prefetch?: number;
  log?: (message: string) => void;
  /** Reads the machine's CPU by part (bench/lib/proc-stats.ts `machineCpu`): each phase's `cpuMsPerOp`. */
  machineCpu?: () => CpuReading;
}

export interface LatencyFigures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface PhaseFigures {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  latencyMs: LatencyFigures;
  /** CPU milliseconds per event by part of the machine, when `machineCpu` was given. */
  cpuMsPerOp?: Record<string, number>;
}

export interface BackboneBenchResult {
  backbone: { flood: PhaseFigures; paced: PhaseFigures };
  rawAmqplib: { flood: PhaseFigures; paced: PhaseFigures };
  settings: Required<Omit<BackboneBenchOptions, 'adminDatabaseUrl' | 'amqpUrl' | 'log' | 'machineCpu'>> & { eventType: string; bodyBytes: number };
}

// scripts/lib and libs/dev are plain JS outside the compiled tree (the bench runs from dist/): bench/lib/repo.ts loads them.
const { dropDatabase, provision, withDatabase } = provisioning();
const { rolePassword, SERVICES } = stackServices();

const EVENT_TYPE = 'CONTRACT_EVENT_CREATED';
/** Events per warm-up flood (repeated until `warmupMs` is over). */
const WARMUP_ROUND = 1000;

/** Where the handler reports: one sample per event, then resolves when the phase's count is reached. */
class Phase {
  readonly samples: number[] = [];
  readonly sentAt = new Map<string, number>();
  private done!: () => void;
  readonly finished: Promise<void>;
  lastAt = 0;

  constructor(readonly expected: number) {
    this.finished = new Promise((r) => (this.done = r));
  }

  sent(id: string): void {
    this.sentAt.set(id, performance.now());
  }

  handled(id: string): void {
    const sent = this.sentAt.get(id);
    if (sent === undefined) return;
    this.sentAt.delete(id);
    this.lastAt = performance.now();
    this.samples.push(this.lastAt - sent);
    if (this.samples.length === this.expected) this.done();
  }

  figures(startedAt: number): PhaseFigures {
    const seconds = (this.lastAt - startedAt) / 1000;
    return {
      events: this.samples.length,
      seconds: round(seconds),
      eventsPerSecond: Math.round(this.samples.length / seconds),
      latencyMs: summarize(this.samples),
    };
  }
}

let current: Phase | undefined;

@Injectable()
class BenchHandler {
  @HandlesEvent(EVENT_TYPE)
  onCreated(event: Envelope<{ eventId: string }>) {
    current?.handled(event.payload.eventId);
  }
}

function payloadOf(eventId: string) {
  return {
    eventId,
    contractId: randomUUID(),
    taskId: 'TSK-00001',
    eventType: 'service',
    title: 'Quarterly service visit',
    status: 'scheduled',
    scheduledDate: '2026-01-01T00:00:00.000Z',
    originalDate: '2026-01-01T00:00:00.000Z',
    sequenceNumber: 1,
    totalOccurrences: 4,
    isUnlimited: false,
  };
}

export async function runBackboneBench(options: BackboneBenchOptions): Promise<BackboneBenchResult> {
  const settings = {
    floodEvents: options.floodEvents ?? 5000,
    warmupMs: options.warmupMs ?? 20000,
    producers: options.producers ?? 16,
    pacedEvents: options.pacedEvents ?? 500,
    pacedPerSecond: options.pacedPerSecond ?? 200,
    // The services' own default (ServiceConfig), for the raw pipeline too.
    prefetch: options.prefetch ?? new ServiceConfig().EVENT_PREFETCH,
  };
  const log = options.log ?? (() => undefined);
  const suffix = randomBytes(4).toString('hex');
  const database = `cn_bench_backbone_${suffix}`;
  const namespace = `bb${suffix}`;
  const svc = SERVICES.find((s) => s.name === 'events')!;

  log(`backbone bench: database ${database}, namespace ${namespace}`);
  await provision(options.adminDatabaseUrl, database);
  let app: INestApplicationContext | undefined;
  try {
    const config = loadConfig(ServiceConfig, {
      NODE_ENV: 'development', // like the apps the bench starts (npm start's environment); production refuses the dev broker account and secrets
      DATABASE_URL: withDatabase(options.adminDatabaseUrl, database),
      DB_USER: svc.role,
      DB_PASSWORD: rolePassword(svc),
      AMQP_URL: options.amqpUrl,
      BROKER_NAMESPACE: namespace,
      BROKER_QUEUE_EXPIRES_MS: '600000',
      HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
      EVENT_PREFETCH: String(settings.prefetch),
    });

    @Module({
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forApp('events'),
        DatabaseModule.forService({ schema: svc.schema, entities: [], migrations: MESSAGING_MIGRATIONS }),
        MessagingModule.forService('events'),
      ],
      providers: [BenchHandler],
    })
    class BackboneBenchModule {}

    app = await NestFactory.createApplicationContext(BackboneBenchModule as Type, { logger: ['error'] });
    const ds = app.get(DataSource);
    const outbox = app.get(Outbox);
    const ctx: RequestContext = {
      tenantId: randomUUID(),
      actor: { type: 'user', id: randomUUID(), name: 'Bench User' },
      roles: [],
      correlationId: randomUUID(),
    };
    const emitBackbone = async (phase: Phase) => {
      const eventId = randomUUID();
      phase.sent(eventId);
      await ds.transaction((tx) => outbox.append(tx, ctx, [{ type: EVENT_TYPE, aggregateId: eventId, aggregateVersion: 1, payload: payloadOf(eventId) }]));
    };

    const raw = await rawPipeline(options.amqpUrl, `${namespace}.bench.raw`, settings.prefetch, ctx);
    try {
      log('warm-up');
      await warmUp(settings.warmupMs, settings.producers, emitBackbone);
      await warmUp(settings.warmupMs, settings.producers, raw.emit);

      // Where a phase's CPU went, per event (producers, relay and consumer all run in this process: `bench`).
      const withCpu = async (run: () => Promise<PhaseFigures>): Promise<PhaseFigures> => {
        const cpu = options.machineCpu && startCpuMeter(options.machineCpu);
        const figures = await run();
        return cpu ? { ...figures, cpuMsPerOp: cpu(figures.events) } : figures;
      };
      log(`flood: ${settings.floodEvents} events, ${settings.producers} producers`);
      const backboneFlood = await withCpu(() => runFlood(settings.floodEvents, settings.producers, emitBackbone, log));
      const rawFlood = await withCpu(() => runFlood(settings.floodEvents, settings.producers, raw.emit, log));

      log(`paced: ${settings.pacedEvents} events at ${settings.pacedPerSecond}/s`);
      const backbonePaced = await withCpu(() => runPaced(settings.pacedEvents, settings.pacedPerSecond, emitBackbone));
      const rawPaced = await withCpu(() => runPaced(settings.pacedEvents, settings.pacedPerSecond, raw.emit));

      return {
        backbone: { flood: backboneFlood, paced: backbonePaced },
        rawAmqplib: { flood: rawFlood, paced: rawPaced },
        settings: { ...settings, eventType: EVENT_TYPE, bodyBytes: raw.bodyBytes },
      };
    } finally {
      await raw.close();
    }
  } finally {
    current = undefined;
    await app?.close().catch(() => undefined);
    await deleteBrokerNames(options.amqpUrl, topologyNames(namespace, ['events'])).catch(() => undefined);
    await dropDatabase(options.adminDatabaseUrl, database).catch(() => undefined);
  }
}

async function warmUp(ms: number, producers: number, emit: (phase: Phase) => Promise<void>): Promise<void> {
  const until = performance.now() + ms;
  do await runFlood(WARMUP_ROUND, producers, emit);
  while (performance.now() < until);
}

async function runFlood(events: number, producers: number, emit: (phase: Phase) => Promise<void>, log?: (message: string) => void): Promise<PhaseFigures> {
  const phase = new Phase(events);
  current = phase;
  const startedAt = performance.now();
  let next = 0;
  const producing = Promise.all(
    Array.from({ length: producers }, async () => {
      while (next < events) {
        next++;
        await emit(phase);
      }
    }),
  );
  await withTimeout(producing, 120000, `flood: ${next}/${events} emitted`);
  const emittedAt = performance.now();
  const handledWhenEmitted = phase.samples.length;
  await withTimeout(phase.finished, 120000, `flood: ${phase.samples.length}/${events} handled`);
  const figures = phase.figures(startedAt);
  // Tells a slow producer side (the emitting transactions) from a slow pipeline behind it.
  log?.(
    `flood: all emitted after ${round(emittedAt - startedAt)} ms (${handledWhenEmitted} handled by then), all handled after ${round(phase.lastAt - startedAt)} ms`,
  );
  return figures;
}

async function runPaced(events: number, perSecond: number, emit: (phase: Phase) => Promise<void>): Promise<PhaseFigures> {
  const phase = new Phase(events);
  current = phase;
  const startedAt = performance.now();
  const interval = 1000 / perSecond;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < events; i++) {
    const due = startedAt + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(emit(phase));
  }
  await withTimeout(Promise.all(inFlight), 60000, `paced: emits not confirmed`);
  await withTimeout(phase.finished, 60000, `paced: ${phase.samples.length}/${events} handled`);
  return phase.figures(startedAt);
}

/** The raw baseline: confirm channel → durable quorum queue → consumer with manual acks. */
async function rawPipeline(amqpUrl: string, queue: string, prefetch: number, ctx: RequestContext) {
  const conn = await connect(amqpUrl, { noDelay: true });
  const pub = await conn.createConfirmChannel();
  const sub = await conn.createChannel();
  await pub.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-expires': 600000 } });
  await sub.prefetch(prefetch);
  await sub.consume(
    queue,
    (msg) => {
      if (!msg) return;
      const env = JSON.parse(msg.content.toString('utf8')) as Envelope<{ eventId: string }>;
      current?.handled(env.payload.eventId);
      sub.ack(msg);
    },
    { noAck: false },
  );
  const bodyOf = (eventId: string) => {
    const timestamp = new Date().toISOString();
    const env: Envelope = {
      id: randomUUID(),
      type: EVENT_TYPE,
      version: 1,
      timestamp,
      occurredAt: timestamp,
      tenantId: ctx.tenantId,
      correlationId: ctx.correlationId,
      source: 'events',
      actor: ctx.actor,
      aggregateId: eventId,
      aggregateVersion: 1,
      payload: { ...payloadOf(eventId), tenantId: ctx.tenantId, occurredAt: timestamp },
      metadata: { requestId: ctx.correlationId, version: 'payload.ContractEventCreated.v1' },
    };
    return Buffer.from(JSON.stringify(env));
  };
  return {
    bodyBytes: bodyOf(randomUUID()).length,
    emit: (phase: Phase) =>
      new Promise<void>((resolve, reject) => {
        const eventId = randomUUID();
        phase.sent(eventId);
        pub.sendToQueue(queue, bodyOf(eventId), { persistent: true, contentType: 'application/json', messageId: eventId }, (err) =>
          err ? reject(err) : resolve(),
        );
      }),
    async close() {
      await pub.deleteQueue(queue).catch(() => undefined);
      await conn.close().catch(() => undefined);
    },
  };
}

function summarize(samples: number[]): LatencyFigures {
  if (samples.length === 0) return { p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return {
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1]),
    mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length),
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

/**
 * Standalone, after any bench build (`npm run bench` compiles into node_modules/.cache/cn-bench-build/):
 * `node node_modules/.cache/cn-bench-build/bench/backbone.bench.js` (env: CN_BENCH_ADMIN_URL, CN_BENCH_AMQP_URL,
 * CN_BENCH_EVENTS, CN_BENCH_WARMUP_MS).
 */
if (require.main === module) {
  runBackboneBench({
    adminDatabaseUrl: process.env.CN_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    amqpUrl: process.env.CN_BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    floodEvents: process.env.CN_BENCH_EVENTS ? Number(process.env.CN_BENCH_EVENTS) : undefined,
    warmupMs: process.env.CN_BENCH_WARMUP_MS ? Number(process.env.CN_BENCH_WARMUP_MS) : undefined,
    log: (m) => process.stderr.write(`[backbone] ${m}\n`),
  })
    .then((r) => {
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      process.exit(0);
    })
    .catch((e) => {
      process.stderr.write(`[backbone] failed: ${(e as Error)?.stack ?? e}\n`);
      process.exit(1);
    });
}
