import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { rolePassword, SERVICES, StackService } from '../../../dev/services';
import { deleteBrokerNames } from '../messaging/testing/delete-broker-names';
import { rpcQueueName, SERVICES as RPC_SERVICES } from '../rpc/rpc-request';
import { TEST_JWT_SECRET } from '../security/dev-defaults';

export type AppName = StackService['name'];

/** Everything a test file needs to run apps in isolation: its own database and broker namespace. */
export interface TestEnvironment {
  adminUrl: string;
  /** This environment's database, as the admin role (for tests that look past the services' roles). */
  adminDatabaseUrl: string;
  databaseUrl: string;
  database: string;
  amqpUrl: string;
  namespace: string;
  /** The environment an app gets in this test: own role, own namespace, HTTP on a random port, quiet logs. */
  env(app: AppName, extra?: Record<string, string>): Record<string, string>;
  /** Extra broker object names to delete at dispose (queues a test declared itself, or apps it ran as processes). */
  trackQueue(name: string): void;
  trackExchange(name: string): void;
  dispose(): Promise<void>;
}

/** Broker object names per namespace that dispose() deletes, registered by the modules that declare them. */
const namespaceCleaners: Array<(namespace: string) => { queues: string[]; exchanges: string[] }> = [
  (ns) => ({ queues: RPC_SERVICES.map((s) => rpcQueueName(ns, s)), exchanges: [] }),
];

export function registerNamespaceCleaner(fn: (namespace: string) => { queues: string[]; exchanges: string[] }): void {
  namespaceCleaners.push(fn);
}

/**
 * Test stacks' queues expire this long after last use, so a test file that dies without dispose() leaves
 * nothing on the broker for long. Everything that declares queues in a test namespace passes the same value.
 */
export const TEST_QUEUE_EXPIRES_MS = 600_000;
export const TEST_QUEUE_ARGUMENTS = { 'x-expires': TEST_QUEUE_EXPIRES_MS } as const;

// Listed with the other development defaults, which production refuses.
export { TEST_JWT_SECRET };

/**
 * A test's dispatcher sends live by default (a tenant's default), and its providers' defaults are the real
 * MSG91 and FCM hosts. Tests must not depend on reaching them, nor on how fast this machine's resolver fails
 * them (a burst of lookups of an unresolvable name took 5–15 s here): they point at a closed local port, so a
 * send that no test arranged fails at once as a network error. Tests that want answers give their fake
 * provider's URLs (`extra`).
 */
const NO_REAL_PROVIDERS = {
  MSG91_BASE_URL: 'http://127.0.0.1:9',
  MSG91_WHATSAPP_BASE_URL: 'http://127.0.0.1:9',
  FCM_BASE_URL: 'http://127.0.0.1:9',
  FCM_TOKEN_URL: 'http://127.0.0.1:9/token',
};

export async function createTestEnvironment(): Promise<TestEnvironment> {
  const adminUrl = required('CN_TEST_ADMIN_URL');
  const amqpUrl = required('CN_TEST_AMQP_URL');
  const template = required('CN_TEST_TEMPLATE');
  const suffix = randomBytes(4).toString('hex');
  const database = `cn_t_${required('CN_TEST_RUN_ID')}_${suffix}`;
  const namespace = `t${suffix}`;

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  const adminDatabaseUrl = u.toString();
  u.username = '';
  u.password = '';
  const databaseUrl = u.toString();
  const extraQueues: string[] = [];
  const extraExchanges: string[] = [];
  // The file store the gateway writes uploads to and the tickets service reads: one folder per environment.
  const evidenceDir = join(tmpdir(), `cn-evidence-${namespace}`);

  return {
    adminUrl,
    adminDatabaseUrl,
    databaseUrl,
    database,
    amqpUrl,
    namespace,
    env(app, extra = {}) {
      const svc = SERVICES.find((s) => s.name === app)!;
      return {
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        DB_USER: svc.role,
        DB_PASSWORD: rolePassword(svc),
        AMQP_URL: amqpUrl,
        BROKER_NAMESPACE: namespace,
        BROKER_QUEUE_EXPIRES_MS: String(TEST_QUEUE_EXPIRES_MS),
        HTTP_PORT: '0',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        JWT_SECRET: TEST_JWT_SECRET,
        ...(app === 'gateway' || app === 'tickets' ? { EVIDENCE_STORAGE_DIR: evidenceDir } : {}),
        ...(app === 'jtd-dispatcher' ? NO_REAL_PROVIDERS : {}),
        ...extra,
      };
    },
    trackQueue(name) {
      extraQueues.push(name);
    },
    trackExchange(name) {
      extraExchanges.push(name);
    },
    async dispose() {
      await deleteNamespace(amqpUrl, namespace, extraQueues, extraExchanges).catch(() => undefined);
      await rm(evidenceDir, { recursive: true, force: true });
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function deleteNamespace(amqpUrl: string, namespace: string, extraQueues: string[], extraExchanges: string[]) {
  const names = namespaceCleaners.map((fn) => fn(namespace));
  await deleteBrokerNames(amqpUrl, {
    queues: [...names.flatMap((n) => n.queues), ...extraQueues],
    exchanges: [...names.flatMap((n) => n.exchanges), ...extraExchanges],
  });
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests through jest (test/global-setup.ts)`);
  return v;
}
