import { Controller, INestApplication, Module } from '@nestjs/common';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { closeApp, createServiceApp } from '@app/shared/app/create-service-app';
import { loadConfig } from '@app/shared/config/load-config';
import { ServiceConfig } from '@app/shared/config/service-config';
import { systemContext } from '@app/shared/context/request-context';
import { NoInput } from '@app/shared/api/platform/messaging.dto';
import { getServiceStatus } from '@app/shared/api/platform/platform.operations';
import { defineOperation } from '@app/shared/contract/operation';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { rpcQueueName, RpcResponse } from '@app/shared/rpc/rpc-request';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { createEventsApp } from '../apps/events/src/events.app';

/** Sends one RPC the way the gateway does (Nest RMQ protocol, direct reply-to) and resolves with the reply. */
/** The reply of a service to a raw RPC packet (Nest's RMQ reply format). */
interface RpcReply {
  id?: string;
  response: RpcResponse;
  isDisposed?: boolean;
  err?: unknown;
}

async function sendRpc(env: TestEnvironment, pattern: string, onSent: () => Promise<void> = async () => undefined): Promise<RpcReply> {
  const conn = await connect(env.amqpUrl);
  try {
    const ch = await conn.createChannel();
    const id = randomUUID();
    const reply = new Promise<RpcReply>((resolve) => {
      void ch.consume('amq.rabbitmq.reply-to', (msg) => msg && resolve(JSON.parse(msg.content.toString())), { noAck: true });
    });
    const packet = { pattern, data: { ctx: { ...systemContext(randomUUID()), roles: ['admin'] }, body: {} }, id };
    ch.sendToQueue(rpcQueueName(env.namespace, 'events'), Buffer.from(JSON.stringify(packet)), { replyTo: 'amq.rabbitmq.reply-to', correlationId: id });
    await onSent();
    return await reply;
  } finally {
    await conn.close();
  }
}

/** Health, metrics and graceful shutdown of a service app (libs/shared/src/app, observability). */
describe('service app foundations', () => {
  let env: TestEnvironment;
  let admin: Client;

  beforeAll(async () => {
    env = await createTestEnvironment();
    admin = new Client({ connectionString: env.adminUrl });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.query(`ALTER DATABASE "${env.database}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await env?.dispose();
  });

  describe('health and metrics', () => {
    let app: INestApplication;
    let url: string;

    beforeAll(async () => {
      app = await createEventsApp(env.env('events'));
      url = await app.getUrl();
    });

    afterAll(async () => {
      await app?.close();
    });

    it('answers /health/live and /health/ready with 200 and the database check up', async () => {
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const res = await fetch(`${url}/health/ready`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { checks: Record<string, { status: string }> }).checks.database.status).toBe('up');
    });

    it('serves Prometheus metrics labelled with the service, RPC handler latency included', async () => {
      const answer = await sendRpc(env, getServiceStatus.pattern);
      expect(answer.response.ok).toBe(true);
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const body = await res.text();
      expect(body).toMatch(/^# HELP process_cpu_user_seconds_total/m);
      expect(body).toMatch(/nodejs_eventloop_lag_seconds\{service="events"\}/);
      expect(body).toMatch(/rpc_handler_duration_seconds_count\{service="events",pattern="each.getServiceStatus",outcome="ok"\} 1/);
    });

    it('answers /health/ready with 503 naming the database while it is unreachable, and recovers', async () => {
      await admin.query(`ALTER DATABASE "${env.database}" WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [env.database]);
      await eventually(
        async () => {
          const res = await fetch(`${url}/health/ready`);
          expect(res.status).toBe(503);
          const report = (await res.json()) as { status: string; checks: Record<string, { status: string; error?: string }> };
          expect(report.status).toBe('error');
          expect(report.checks.database.status).toBe('down');
          expect(report.checks.database.error).toBeTruthy();
        },
        { timeoutMs: 15000, intervalMs: 200 },
      );
      // Liveness is about the process, not its dependencies: restarting would not bring the database back.
      expect((await fetch(`${url}/health/live`)).status).toBe(200);

      await admin.query(`ALTER DATABASE "${env.database}" WITH ALLOW_CONNECTIONS true`);
      await eventually(async () => expect((await fetch(`${url}/health/ready`)).status).toBe(200), { timeoutMs: 15000, intervalMs: 200 });
    });
  });

  describe('graceful shutdown', () => {
    // A handler that holds until the test lets it go, to have work in flight when shutdown starts.
    let started: () => void;
    const handlerStarted = new Promise<void>((r) => (started = r));
    let release: () => void;
    const released = new Promise<void>((r) => (release = r));

    const slowOperation = defineOperation({
      name: 'testSlow',
      handler: 'events',
      tag: 'test',
      summary: 'holds until released',
      description: 'A handler in flight while the service stops.',
      input: NoInput,
      output: String,
      roles: ['admin'],
      errors: [],
    });

    @Controller()
    class SlowController {
      @Handles(slowOperation)
      async slow() {
        started();
        await released;
        return 'finished';
      }
    }
    @Module({ controllers: [SlowController] })
    class SlowModule {}

    it('finishes and answers an RPC in flight before it closes, and reports not ready meanwhile', async () => {
      const config = loadConfig(ServiceConfig, env.env('events'));
      const app = await createServiceApp({ service: 'events', config, imports: [SlowModule], operations: [slowOperation] });
      const url = await app.getUrl();
      let closed = false;
      let closing: Promise<unknown> = Promise.resolve();
      const answer = await sendRpc(env, slowOperation.pattern, async () => {
        await handlerStarted;
        closing = closeApp(app).then(() => (closed = true));
        await eventually(async () => expect((await fetch(`${url}/health/ready`)).status).toBe(503), { timeoutMs: 5000 });
        expect(closed).toBe(false);
        release();
      });
      expect(answer.response).toEqual({ ok: true, data: 'finished' });
      await closing;
      expect(closed).toBe(true);
    });
  });
});
