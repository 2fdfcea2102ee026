import { randomUUID } from 'node:crypto';
import { Channel, ConfirmChannel, connect } from 'amqplib';
import { BenchContext } from '../lib/context';
import { LatencyRecorder, msSince, sleep } from '../lib/latency';
import { Measurement } from '../lib/result';
import { freePort, startProcess, stopProcess } from '../lib/stack';

const RPC_IN_FLIGHT = 32;
const CONFIRM_BATCH = 100;
const CONSUME_PREFETCH = 250;

/** An RPC request the size of what the gateway sends (context + body). */
function rpcRequest(id: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      pattern: 'events.getEvent',
      id: randomUUID(),
      data: {
        ctx: {
          tenantId: randomUUID(),
          correlationId: randomUUID(),
          requestId: randomUUID(),
          actor: { type: 'user', id: randomUUID(), name: 'Bench User' },
          roles: ['admin'],
        },
        body: { id },
      },
    }),
  );
}

/** A domain-event envelope the size of CONTRACT_EVENT_CREATED. */
function envelope(): Buffer {
  const id = randomUUID();
  return Buffer.from(
    JSON.stringify({
      id,
      type: 'CONTRACT_EVENT_CREATED',
      version: 'payload.ContractEventCreated.v1',
      occurredAt: new Date().toISOString(),
      tenantId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
      source: 'events',
      actor: { type: 'user', id: randomUUID(), name: 'Bench User' },
      aggregateId: id,
      aggregateVersion: 1,
      payload: {
        eventId: id,
        contractId: randomUUID(),
        taskId: 'TSK-00001',
        eventType: 'service',
        title: 'Quarterly service visit',
        status: 'scheduled',
        scheduledDate: '2026-01-01T00:00:00.000Z',
        originalDate: '2026-01-01T00:00:00.000Z',
        isUnlimited: false,
      },
    }),
  );
}

/** amqplib direct reply-to RPC against a separate responder process, 32 requests in flight. */
async function rpcBaseline(b: BenchContext): Promise<Measurement> {
  const queue = `${b.namespace}.bench.raw-rpc`;
  const port = await freePort();
  const responder = await startProcess({
    name: 'raw-rpc-responder',
    distDir: b.distDir,
    entry: 'bench/baselines/rpc-responder.main.ts',
    env: { AMQP_URL: b.amqpUrl, RPC_QUEUE: queue, HTTP_PORT: String(port) },
    port,
    logDir: b.logDir,
  });
  b.extraPids['raw-rpc'] = responder.pid;
  const conn = await connect(b.amqpUrl, { noDelay: true });
  try {
    const ch = await conn.createChannel();
    const pending = new Map<string, () => void>();
    await ch.consume(
      'amq.rabbitmq.reply-to',
      (msg) => {
        const done = msg && pending.get(msg.properties.correlationId);
        if (done) {
          pending.delete(msg!.properties.correlationId);
          done();
        }
      },
      { noAck: true },
    );
    const call = () =>
      new Promise<void>((resolve, reject) => {
        const correlationId = randomUUID();
        const timer = setTimeout(() => {
          pending.delete(correlationId);
          reject(new Error('raw RPC timed out'));
        }, 10000);
        pending.set(correlationId, () => {
          clearTimeout(timer);
          resolve();
        });
        ch.sendToQueue(queue, rpcRequest(randomUUID()), { replyTo: 'amq.rabbitmq.reply-to', correlationId, contentType: 'application/json' });
      });
    return await closedLoop(b, 'raw.rabbitmq.rpc', 'amqplib direct reply-to RPC, 32 in flight', RPC_IN_FLIGHT, call, 'req/s');
  } finally {
    await conn.close().catch(() => undefined);
    delete b.extraPids['raw-rpc'];
    await stopProcess(responder);
    await deleteQueue(b.amqpUrl, queue);
  }
}

/** Publish persistent envelopes to a quorum queue in batches of 100, waiting for the broker's confirms per batch. */
async function publishAndConsumeBaseline(b: BenchContext): Promise<Measurement[]> {
  const queue = `${b.namespace}.bench.raw-quorum`;
  const conn = await connect(b.amqpUrl, { noDelay: true });
  try {
    const pub: ConfirmChannel = await conn.createConfirmChannel();
    await pub.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-expires': 600000 } });
    const latency = new LatencyRecorder();
    const body = envelope();
    const publishBatch = async () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < CONFIRM_BATCH; i++) {
        pub.sendToQueue(queue, body, {
          persistent: true,
          contentType: 'application/json',
          messageId: randomUUID(),
          type: 'CONTRACT_EVENT_CREATED',
          timestamp: Date.now(),
        });
      }
      await pub.waitForConfirms();
      const ms = msSince(t0);
      return ms;
    };
    const warmEnd = Date.now() + Math.min(b.opts.warmupMs, 2000);
    let warmed = 0;
    while (Date.now() < warmEnd) {
      await publishBatch();
      warmed += CONFIRM_BATCH;
    }
    const start = Date.now();
    let published = 0;
    while (Date.now() - start < b.opts.durationMs) {
      const ms = await publishBatch();
      for (let i = 0; i < CONFIRM_BATCH; i++) latency.record(ms);
      published += CONFIRM_BATCH;
    }
    const pubMs = Date.now() - start;
    const publish: Measurement = {
      key: 'raw.rabbitmq.publish',
      label: 'publish, batched confirms (100), quorum queue',
      throughput: (published / pubMs) * 1000,
      unit: 'msg/s',
      count: published,
      durationMs: pubMs,
      latencyMs: latency.summary(),
      notes: 'latency = publish to confirm of its batch',
      extra: { messageBytes: body.length, batch: CONFIRM_BATCH },
    };

    // Consume everything published (warm-up included) with manual acks, one ack per message.
    const total = warmed + published;
    const cons: Channel = await conn.createChannel();
    await cons.prefetch(CONSUME_PREFETCH);
    let consumed = 0;
    let first = 0;
    let last = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed ${consumed} of ${total} in 120 s`)), 120000);
      void cons.consume(
        queue,
        (msg) => {
          if (!msg) return;
          if (!first) first = Date.now();
          JSON.parse(msg.content.toString());
          cons.ack(msg);
          if (++consumed === total) {
            last = Date.now();
            clearTimeout(timer);
            resolve();
          }
        },
        { noAck: false },
      );
    });
    const consMs = Math.max(1, last - first);
    const consume: Measurement = {
      key: 'raw.rabbitmq.consume',
      label: 'consume, manual ack, quorum queue',
      throughput: (consumed / consMs) * 1000,
      unit: 'msg/s',
      count: consumed,
      durationMs: consMs,
      extra: { prefetch: CONSUME_PREFETCH },
    };
    await sleep(100);
    return [publish, consume];
  } finally {
    await conn.close().catch(() => undefined);
    await deleteQueue(b.amqpUrl, queue);
  }
}

export async function rabbitmqBaseline(b: BenchContext): Promise<Measurement[]> {
  const rpc = await rpcBaseline(b);
  const pc = await publishAndConsumeBaseline(b);
  return [rpc, ...pc];
}

/** Runs `op` with `inFlight` concurrent loops for warm-up + duration and measures each call. */
export async function closedLoop(b: BenchContext, key: string, label: string, inFlight: number, op: () => Promise<void>, unit: string): Promise<Measurement> {
  const recorder = new LatencyRecorder();
  let errors = 0;
  const samples: string[] = [];
  const measureFrom = Date.now() + b.opts.warmupMs;
  const stopAt = measureFrom + b.opts.durationMs;
  let firstAt = 0;
  let lastAt = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (Date.now() < stopAt) {
        const sentAt = Date.now();
        const t0 = process.hrtime.bigint();
        try {
          await op();
          if (sentAt >= measureFrom) {
            recorder.record(msSince(t0));
            if (!firstAt) firstAt = sentAt;
            lastAt = Date.now();
          }
        } catch (e) {
          if (sentAt >= measureFrom) {
            errors++;
            if (samples.length < 3) samples.push((e as Error).message);
          }
        }
      }
    }),
  );
  const durationMs = Math.max(1, lastAt - firstAt);
  return {
    key,
    label,
    throughput: (recorder.count / durationMs) * 1000,
    unit,
    count: recorder.count,
    durationMs,
    latencyMs: recorder.summary(),
    errors,
    errorSamples: samples.length ? samples : undefined,
    extra: { inFlight },
  };
}

async function deleteQueue(amqpUrl: string, queue: string): Promise<void> {
  const conn = await connect(amqpUrl, { noDelay: true }).catch(() => undefined);
  if (!conn) return;
  try {
    const ch = await conn.createChannel();
    await ch.deleteQueue(queue).catch(() => undefined);
  } finally {
    await conn.close().catch(() => undefined);
  }
}
