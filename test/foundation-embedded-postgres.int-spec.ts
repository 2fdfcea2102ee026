import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { ensureInfrastructure, reachable } from '../scripts/lib/infra';
import { provision, withDatabase } from '../scripts/lib/provision';
import { rolePassword, SERVICES } from '../libs/dev/services';
import { createEventsApp } from '../apps/events/src/events.app';

// CommonJS helper without types of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const embedded = require('../scripts/lib/embedded-postgres') as {
  start(log: (m: string) => void, options: { dataDir: string; port: number }): Promise<string>;
  stop(options: { dataDir: string }): void;
};

/**
 * The last PostgreSQL fallback, for real: on a machine where nothing answers and there are no Debian
 * cluster tools, the bring-up starts the embedded-postgres binaries (as a non-root user when we are root),
 * and a service provisions and migrates on it. The machine's own server is left alone: the fallback's
 * server runs beside it on a free port with its data in a throw-away folder.
 */
describe('embedded PostgreSQL fallback', () => {
  const dataDir = join(resolve(__dirname, '..'), '.data', `test-pg-${randomBytes(4).toString('hex')}`);
  let port: number;
  let adminUrl: string;
  let env: TestEnvironment;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    port = await new Promise<number>((res) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => res(p));
      });
    });
    env = await createTestEnvironment();
  }, 180000);

  afterAll(async () => {
    await app?.close();
    embedded.stop({ dataDir });
    rmSync(dataDir, { recursive: true, force: true });
    await env?.dispose();
  });

  it('is started by the bring-up when no PostgreSQL answers and no cluster tools exist', async () => {
    const logs: string[] = [];
    const infra = await ensureInfrastructure((m) => logs.push(m), {
      env: { AMQP_URL: env.amqpUrl },
      // Nothing answers on 5432 as far as this bring-up knows; the broker is the real one.
      reachable: async (host, p, timeout) => (p === 5432 ? false : reachable(host, p, timeout)),
      has: () => false,
      startEmbeddedPostgres: (log) => embedded.start(log, { dataDir, port }),
    });
    expect(infra.postgres).toBe('embedded-postgres');
    expect(logs.join('\n')).toMatch(/starting embedded-postgres/);
    adminUrl = infra.databaseUrl;
    expect(new URL(adminUrl).port).toBe(String(port));

    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    try {
      const { rows } = await c.query<{ version: string }>('SELECT version()');
      expect(rows[0].version).toMatch(/^PostgreSQL \d+/);
    } finally {
      await c.end();
    }
    // PostgreSQL refuses root: as root, the cluster belongs to (and runs as) another user.
    if (process.getuid?.() === 0) expect(statSync(dataDir).uid).not.toBe(0);
  }, 180000);

  it('runs a service on it: provisioned roles, migrations at boot, ready', async () => {
    const database = 'contractnest';
    await provision(adminUrl, database);
    const events = SERVICES.find((s) => s.name === 'events')!;
    const u = new URL(withDatabase(adminUrl, database));
    u.username = '';
    u.password = '';
    app = await createEventsApp(env.env('events', { DATABASE_URL: u.toString(), DB_USER: events.role, DB_PASSWORD: rolePassword(events) }));
    const res = await fetch(`${await app.getUrl()}/health/ready`);
    expect(res.status).toBe(200);

    // Role passwords are enforced here (scram), unlike the trust-auth server of this machine.
    const wrong = new Client({ connectionString: `postgres://${events.role}:wrong@127.0.0.1:${port}/${database}` });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
  }, 120000);
});
