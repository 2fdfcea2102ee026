import { Client } from 'pg';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { rolePassword, SERVICES } from '../libs/dev/services';
import { createEventsApp } from '../apps/events/src/events.app';

/**
 * Each service owns one schema through its own role (scripts/lib/provision.js). These tests connect with
 * one service's credentials and try to reach another's data every way a careless or hostile service
 * could: direct reads and writes, search_path, the public schema, granting itself rights, and
 * switching role.
 */
describe('schema isolation between service roles', () => {
  let env: TestEnvironment;
  let eventsTable: string;
  const clients: Client[] = [];

  const connectAs = async (name: string): Promise<Client> => {
    const svc = SERVICES.find((s) => s.name === name)!;
    const u = new URL(env.databaseUrl);
    u.username = svc.role;
    u.password = rolePassword(svc);
    const c = new Client({ connectionString: u.toString() });
    await c.connect();
    clients.push(c);
    return c;
  };

  const pgErrorCode = async (p: Promise<unknown>): Promise<string | undefined> => {
    try {
      await p;
      return undefined;
    } catch (e) {
      return (e as { code?: string }).code;
    }
  };

  beforeAll(async () => {
    env = await createTestEnvironment();
    const admin = new Client({ connectionString: env.adminDatabaseUrl });
    await admin.connect();
    clients.push(admin);
    const { rows } = await admin.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'events' AND table_type = 'BASE TABLE' ORDER BY table_name LIMIT 1",
    );
    expect(rows).toHaveLength(1);
    eventsTable = rows[0].table_name;
  });

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await env?.dispose();
  });

  it('lets a service read its own schema', async () => {
    const events = await connectAs('events');
    const r = await events.query(`SELECT count(*)::int AS n FROM events."${eventsTable}"`);
    expect(r.rows[0].n).toBeGreaterThanOrEqual(0);
  });

  it("refuses the tickets role a read of the events service's tables (permission denied)", async () => {
    const tickets = await connectAs('tickets');
    // 42501 = insufficient_privilege
    expect(await pgErrorCode(tickets.query(`SELECT * FROM events."${eventsTable}" LIMIT 1`))).toBe('42501');
  });

  it("refuses every other role's reads and writes on every other schema", async () => {
    for (const caller of SERVICES) {
      const client = await connectAs(caller.name);
      for (const owner of SERVICES.filter((s) => s.name !== caller.name)) {
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1', [owner.schema]);
        expect(rows[0].n).toBe(1);
        expect(await pgErrorCode(client.query(`CREATE TABLE ${owner.schema}.intruder (id int)`))).toBe('42501');
      }
    }
    const tickets = await connectAs('tickets');
    expect(await pgErrorCode(tickets.query(`DELETE FROM events."${eventsTable}"`))).toBe('42501');
  });

  it('does not let search_path reach another schema', async () => {
    const tickets = await connectAs('tickets');
    await tickets.query('SET search_path = events, public');
    expect(await pgErrorCode(tickets.query(`SELECT * FROM "${eventsTable}" LIMIT 1`))).toMatch(/^(42501|42P01)$/);
  });

  it('gives no role the public schema to create shared tables in', async () => {
    for (const s of SERVICES) {
      const c = await connectAs(s.name);
      expect(await pgErrorCode(c.query(`CREATE TABLE public.shared_${s.schema} (id int)`))).toBe('42501');
    }
  });

  it('does not let a role grant itself rights or become another role', async () => {
    const tickets = await connectAs('tickets');
    expect(await pgErrorCode(tickets.query('GRANT USAGE ON SCHEMA events TO cn_tickets'))).toBe('42501');
    expect(await pgErrorCode(tickets.query('SET ROLE cn_events'))).toBe('42501');
    expect(await pgErrorCode(tickets.query('SET ROLE postgres'))).toBe('42501');
  });

  it("refuses the gateway role the services' data, and the services the gateway's idempotency keys", async () => {
    const gateway = await connectAs('gateway');
    expect(await pgErrorCode(gateway.query(`SELECT * FROM events."${eventsTable}" LIMIT 1`))).toBe('42501');
    const { rows } = await (
      await connectAs('gateway')
    ).query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'gateway' AND table_type = 'BASE TABLE' LIMIT 1");
    expect(rows).toHaveLength(1);
    const events = await connectAs('events');
    for (const { table_name } of rows) expect(await pgErrorCode(events.query(`SELECT * FROM gateway."${table_name}"`))).toBe('42501');
  });

  it("fails to boot the events service with the tickets service's credentials", async () => {
    const tickets = SERVICES.find((s) => s.name === 'tickets')!;
    const boot = createEventsApp(env.env('events', { DB_USER: tickets.role, DB_PASSWORD: rolePassword(tickets) }));
    await expect(boot).rejects.toThrow(/permission denied/);
  });
});
