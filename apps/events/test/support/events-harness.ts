import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { Clock } from '@app/shared/time/clock';
import { createEventsApp } from '../../src/events.app';
import { eventsRpc, EventsRpc, userContext } from './rpc-client';

export interface EventsHarness {
  env: TestEnvironment;
  app: INestApplication;
  tenantId: string;
  rpc: EventsRpc;
  /** A connection as the events service's role, search_path = events. */
  db: Client;
  close(): Promise<void>;
}

/** One events service on its own database and namespace, an RPC client for a fresh tenant, and a DB handle. */
export async function startEventsHarness(opts: { clock?: Clock; env?: Record<string, string> } = {}): Promise<EventsHarness> {
  const env = await createTestEnvironment();
  const appEnv = env.env('events', { EVENT_SCHEDULER_ENABLED: 'false', ...opts.env });
  const app = await createEventsApp(appEnv, { clock: opts.clock });
  const tenantId = randomUUID();
  const rpc = await eventsRpc(env, userContext(tenantId));
  const url = new URL(env.databaseUrl);
  const db = new Client({
    host: url.hostname,
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.slice(1)),
    user: appEnv.DB_USER,
    password: appEnv.DB_PASSWORD,
  });
  await db.connect();
  await db.query('SET search_path = events');
  return {
    env,
    app,
    tenantId,
    rpc,
    db,
    async close() {
      await rpc.close();
      await db.end().catch(() => undefined);
      await app.close();
      await env.dispose();
    },
  };
}
