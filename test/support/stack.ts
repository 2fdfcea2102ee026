import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { closeApp } from '@app/shared/app/create-service-app';
import { connect } from 'amqplib';
import { rpcQueueName } from '@app/shared/rpc/rpc-request';
import { eventually } from '@app/shared/testing/eventually';
import { authHeader } from '@app/shared/testing/tokens';
import { AppName, TestEnvironment } from '@app/shared/testing/test-environment';
import { createEventsApp, EventsAppOptions } from '../../apps/events/src/events.app';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app';
import { createJtdDispatcherApp } from '../../apps/jtd-dispatcher/src/jtd-dispatcher.app';
import { createTicketsApp } from '../../apps/tickets/src/tickets.app';
import { ContractNestClient, createContractNestClient } from '../../libs/client/src/client';
import { CheckedJson, DocumentedAnswers } from './documented-answers';

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
  /**
   * A JSON request to `${gatewayUrl}${path}`; the body is parsed when there is one. The answer must be one
   * the OpenAPI document describes (status, schema, error code), or the request throws saying what differs.
   */
  http(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: CheckedJson }>;
  /** The typed client (libs/client) with these headers (a token, say); its answers are checked like `http`'s. */
  client(headers: Record<string, string>): ContractNestClient;
  /**
   * Registers a tenant through POST /v1/tenants as a platform admin (with this id, or a new one) and
   * returns its id: the gateway serves only registered tenants (403 TENANT_UNKNOWN otherwise). Needs the
   * events service, which owns the registry. The default name is the one seedContract gives a tenant.
   */
  registerTenant(id?: string, fields?: { name?: string; timezone?: string; locale?: string }): Promise<string>;
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
  const answers = documentedAnswers();
  const http: Stack['http'] = async (method, path, headers, body) => {
    const abort = new AbortController();
    const res = await fetch(`${origin}/v1${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: abort.signal,
    });
    // An event stream never ends: its head is the answer (read streams with apps/gateway/test/support/sse-client.ts).
    const streaming = res.headers.get('content-type')?.includes('text/event-stream') ?? false;
    if (streaming) abort.abort();
    const text = streaming ? '' : await res.text();
    const parsed = text ? JSON.parse(text) : null;
    answers.check(method, `/v1${path}`, res.status, res.headers.get('content-type'), parsed);
    return { status: res.status, body: parsed };
  };
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
    http,
    async registerTenant(id, fields = {}) {
      const platform = authHeader({ tenantId: randomUUID(), userId: randomUUID(), roles: ['platform_admin'], name: 'Test Platform Admin' });
      const body = {
        ...(id ? { id } : {}),
        name: fields.name ?? (id ? `Tenant ${id.slice(0, 8)}` : 'Test tenant'),
        timezone: fields.timezone ?? 'Asia/Kolkata',
        ...(fields.locale ? { locale: fields.locale } : {}),
      };
      const res = await http('POST', '/tenants', platform, body);
      if (res.status !== 201) throw new Error(`registering tenant ${id ?? '(new)'} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    },
    client(headers) {
      const client = createContractNestClient({ baseUrl: `${origin}/v1`, headers });
      client.use({
        async onResponse({ request, response }) {
          const text = await response.clone().text();
          const type = response.headers.get('content-type');
          answers.check(request.method, new URL(request.url).pathname, response.status, type, text && type?.includes('json') ? JSON.parse(text) : text);
          return response;
        },
      });
      return client;
    },
  };
}

let sharedAnswers: DocumentedAnswers | undefined;
/** Built once per test file: compiling the document's schemas takes a moment. */
function documentedAnswers(): DocumentedAnswers {
  return (sharedAnswers ??= new DocumentedAnswers());
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
