import { INestApplication } from '@nestjs/common';
import { closeApp } from '@app/shared/app/create-service-app';
import { connect } from 'amqplib';
import { rpcQueueName } from '@app/shared/rpc/rpc-request';
import { eventually } from '@app/shared/testing/eventually';
import { AppName, TestEnvironment } from '@app/shared/testing/test-environment';
import { createEventsApp, EventsAppOptions } from '../../apps/events/src/events.app';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app';
import { createJtdDispatcherApp } from '../../apps/jtd-dispatcher/src/jtd-dispatcher.app';
import { createTicketsApp } from '../../apps/tickets/src/tickets.app';

export type StackApps = Partial<Record<AppName, INestApplication>>;

export interface Stack {
  /** e.g. `http://127.0.0.1:41234/v1` — routes are relative to it (`${gatewayUrl}/contracts`). */
  gatewayUrl: string;
  /** The gateway's origin, for routes outside /v1 (`/health/ready`, `/docs/openapi.json`). */
  origin: string;
  apps: StackApps;
  /** Stops one app (e.g. to test what the gateway does when a service is down). */
  stop(app: AppName): Promise<void>;
  /** Closes every app still running, gateway first. Call in afterAll, before env.dispose(). */
  close(): Promise<void>;
  /** A JSON request to `${gatewayUrl}${path}`; the body is parsed when there is one. */
  http(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: any }>;
}

export interface StackOptions {
  /** Which services to boot besides the gateway (default: all three). */
  services?: Array<Exclude<AppName, 'gateway'>>;
  /** Extra environment per app, e.g. `{ gateway: { RPC_TIMEOUT_MS: '1000' } }`. */
  env?: Partial<Record<AppName, Record<string, string>>>;
  /** Options for the events app, e.g. a clock the test moves to make contract events due. */
  events?: EventsAppOptions;
}

const FACTORIES: Record<AppName, (env: Record<string, string>) => Promise<INestApplication>> = {
  gateway: createGatewayApp,
  events: createEventsApp,
  tickets: createTicketsApp,
  'jtd-dispatcher': createJtdDispatcherApp,
};

/**
 * Boots the whole stack in-process on a test environment (own database, own broker namespace): the
 * services first, so their RPC queues have consumers when the gateway takes traffic.
 */
export async function startStack(env: TestEnvironment, options: StackOptions = {}): Promise<Stack> {
  const services = options.services ?? ['events', 'tickets', 'jtd-dispatcher'];
  const apps: StackApps = {};
  const close = async () => {
    for (const name of ['gateway', ...services] as AppName[]) {
      const app = apps[name];
      delete apps[name];
      if (app) await closeApp(app).catch(() => undefined);
    }
  };
  try {
    await Promise.all(
      services.map(async (name) => {
        const appEnv = env.env(name, options.env?.[name]);
        apps[name] = name === 'events' && options.events ? await createEventsApp(appEnv, options.events) : await FACTORIES[name](appEnv);
      }),
    );
    await waitForRpcConsumers(env, services);
    apps.gateway = await createGatewayApp(env.env('gateway', options.env?.gateway));
  } catch (e) {
    await close();
    throw e;
  }
  const origin = (await apps.gateway.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    gatewayUrl: `${origin}/v1`,
    origin,
    apps,
    async stop(name) {
      const app = apps[name];
      delete apps[name];
      if (app) await closeApp(app);
    },
    close,
    async http(method, path, headers, body) {
      const res = await fetch(`${origin}/v1${path}`, {
        method,
        headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
}

/**
 * Nest's RMQ server returns from startAllMicroservices before the broker has registered its consumer, so
 * a request sent at once could find the service "not running". Wait until every RPC queue has a consumer.
 */
async function waitForRpcConsumers(env: TestEnvironment, services: Array<Exclude<AppName, 'gateway'>>): Promise<void> {
  const conn = await connect(env.amqpUrl);
  try {
    await eventually(
      async () => {
        for (const service of services) {
          const ch = await conn.createChannel();
          try {
            const { consumerCount } = await ch.checkQueue(rpcQueueName(env.namespace, service));
            if (consumerCount === 0) throw new Error(`no consumer on the ${service} RPC queue yet`);
          } finally {
            await ch.close().catch(() => undefined);
          }
        }
      },
      { timeoutMs: 10000, intervalMs: 25 },
    );
  } finally {
    await conn.close();
  }
}
