import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { CreateContractDto } from '@app/shared/api/events/contracts.dto';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { captureEvents, CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { contractInput } from '../apps/events/test/support/contract-factory';
import { startStack, Stack } from './support/stack';

/**
 * Issue 14: machine identities. A tenant admin creates API keys for VaNi and for an integration; their
 * calls act as actor vani / system with exactly the roles given, what they change shows them as performer
 * (contract history, event audit, JTD history, the envelopes on the broker), and a revoked key is refused.
 */
describe('machine identities through the gateway', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let capture: CapturedEvents;
  let tenantId: string;
  let admin: Record<string, string>;
  const http: Stack['http'] = (...request) => stack.http(...request);
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  let vani: { id: string; apiKey: string; keyPrefix: string };

  beforeAll(async () => {
    env = await createTestEnvironment();
    capture = await captureEvents(env, ['CONTRACT_STATUS_CHANGED', 'PAYMENT_RECORDED']);
    stack = await startStack(env, { env: { gateway: { RATE_LIMIT_PER_MINUTE: '100000' }, events: { EVENT_SCHEDULER_ENABLED: 'false' } } });
    tenantId = await stack.registerTenant();
    admin = authHeader({ tenantId, userId: randomUUID(), roles: ['admin'], name: 'Asha Admin' });
  });

  afterAll(async () => {
    await capture?.close();
    await stack?.close();
    await env?.dispose();
  });

  it('lets only a tenant admin create a key, with explicit non-admin roles, shown once and stored hashed', async () => {
    const agent = authHeader({ tenantId, userId: randomUUID(), roles: ['agent'] });
    expect((await http('POST', '/machine-credentials', agent, { name: 'VaNi', actorType: 'vani', roles: ['agent'] })).status).toBe(403);
    const tooMuch = await http('POST', '/machine-credentials', admin, { name: 'VaNi', actorType: 'vani', roles: ['admin'] });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors).toHaveProperty('roles');
    expect((await http('POST', '/machine-credentials', admin, { name: 'VaNi', actorType: 'user', roles: ['agent'] })).status).toBe(400);
    expect((await http('POST', '/machine-credentials', admin, { name: 'VaNi', actorType: 'vani', roles: [] })).status).toBe(400);

    const created = await http('POST', '/machine-credentials', admin, { name: 'VaNi agent', actorType: 'vani', roles: ['agent', 'viewer'] });
    expect(created.status).toBe(201);
    vani = created.body;
    expect(vani.apiKey).toMatch(/^cnk_[A-Za-z0-9]{12}_/);
    expect(vani.apiKey.startsWith(vani.keyPrefix)).toBe(true);
    const list = await http('GET', '/machine-credentials', admin);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: vani.id, actorType: 'vani', roles: ['agent', 'viewer'], keyPrefix: vani.keyPrefix, revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(vani.apiKey.slice(vani.keyPrefix.length + 1));

    const url = new URL(env.adminUrl);
    url.pathname = new URL(env.databaseUrl).pathname;
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT secret_hash, key_prefix FROM gateway.machine_credentials WHERE id = $1`, [vani.id]);
      expect(rows[0].key_prefix).toBe(vani.keyPrefix);
      expect(rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
      const leaks = await db.query(`SELECT count(*)::int AS n FROM gateway.machine_credentials WHERE secret_hash = $1 OR key_prefix = $1`, [vani.apiKey]);
      expect(leaks.rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('acts as VaNi: source vani and performer VaNi in the contract history, the event audit, the JTD history and on the broker', async () => {
    const key = bearer(vani.apiKey);
    // its roles, nothing more: an agent may not manage machine identities or change settings
    expect((await http('GET', '/machine-credentials', key)).status).toBe(403);
    expect((await http('PUT', '/settings/contracts', key, { renewalNoticeDays: 10 })).status).toBe(403);

    const draft = await http(
      'POST',
      '/contracts',
      key,
      contractInput({
        services: [{ name: 'Visit', quantity: 2 }],
        billing: { mode: 'prepaid', total: '500.00', currency: 'INR' },
      } as Partial<CreateContractDto>),
    );
    expect(draft.status).toBe(201);
    const id = draft.body.id;
    expect((await http('POST', `/contracts/${id}/activate`, key)).status).toBe(403); // activation is for admins
    expect((await http('POST', `/contracts/${id}/submit`, key)).body.status).toBe('pending_review');
    expect((await http('POST', `/contracts/${id}/approve`, admin, {})).body.status).toBe('active');
    const history = await http('GET', `/contracts/${id}/history`, key);
    expect(history.body.items[0]).toMatchObject({
      from: 'draft',
      to: 'pending_review',
      actor: { type: 'vani', id: SYSTEM_ACTORS.vani.id, name: 'VaNi' },
      source: 'vani',
    });
    expect(history.body.items[1]).toMatchObject({ to: 'active', actor: { type: 'user', name: 'Asha Admin' }, source: 'user' });
    const moved = await capture.waitFor('CONTRACT_STATUS_CHANGED', (e) => e.payload.contractId === id);
    expect(moved.actor).toEqual({ type: 'vani', id: SYSTEM_ACTORS.vani.id, name: 'VaNi' });
    expect(moved.payload).toMatchObject({ changedBy: { type: 'vani', name: 'VaNi' }, source: 'vani' });

    const [visit] = (await http('GET', `/events?contractId=${id}&type=service`, key)).body.items;
    const options = (await http('GET', `/events/${visit.id}/transitions`, key)).body;
    const to = options.transitions?.[0]?.toStatus ?? options.items?.[0]?.toStatus;
    expect(to).toBeDefined();
    const moveRes = await http('POST', `/events/${visit.id}/transitions`, key, { toStatus: to, reason: 'VaNi planned it', version: visit.version });
    expect(moveRes.status).toBe(200);
    const audit = await http('GET', `/events/${visit.id}/audit`, key);
    expect(audit.body.items.at(-1)).toMatchObject({ to, actor: { type: 'vani', name: 'VaNi' }, source: 'vani' });

    const [bill] = (await http('GET', `/events?contractId=${id}&type=billing`, key)).body.items;
    expect(
      (await http('POST', `/events/${bill.id}/payments`, key, { amount: '500.00', reference: 'VANI-1', method: 'online', version: bill.version })).status,
    ).toBe(200);
    const paid = await capture.waitFor('PAYMENT_RECORDED', (e) => e.payload.contractId === id);
    expect(paid.payload.recordedBy).toEqual({ type: 'vani', id: SYSTEM_ACTORS.vani.id, name: 'VaNi' });
    const [job] = await eventually(async () => {
      const r = await http('GET', `/jtd?sourceType=payment_received&sourceId=${paid.payload.paymentId}`, admin);
      expect(r.body.items).toHaveLength(1);
      return r.body.items;
    });
    const jobHistory = await http('GET', `/jtd/${job.id}/history`, admin);
    expect(jobHistory.body.items[0].performedBy).toMatchObject({ type: 'vani', name: 'VaNi' });
  });

  it('acts as an integration (actor system, its own name) with only the roles it was given; X-Api-Key works too', async () => {
    const viewer = (await http('POST', '/machine-credentials', admin, { name: 'BI export', actorType: 'system', roles: ['viewer'] })).body;
    expect((await http('GET', '/contracts', { 'x-api-key': viewer.apiKey })).status).toBe(200);
    expect((await http('POST', '/contracts', bearer(viewer.apiKey), contractInput())).status).toBe(403);

    const erp = (await http('POST', '/machine-credentials', admin, { name: 'ERP sync', actorType: 'system', roles: ['agent'] })).body;
    const draft = await http('POST', '/contracts', { 'x-api-key': erp.apiKey }, contractInput());
    expect((await http('POST', `/contracts/${draft.body.id}/submit`, bearer(erp.apiKey))).status).toBe(200);
    const history = await http('GET', `/contracts/${draft.body.id}/history`, admin);
    expect(history.body.items[0]).toMatchObject({ actor: { type: 'system', id: erp.id, name: 'ERP sync' }, source: 'system' });
  });

  it('refuses a revoked, an unknown or a malformed key with 401, and keeps other tenants out', async () => {
    const revoked = await http('POST', `/machine-credentials/${vani.id}/revoke`, admin);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await http('POST', `/machine-credentials/${vani.id}/revoke`, admin)).body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await http('GET', '/contracts', bearer(vani.apiKey))).status).toBe(401);
    expect((await http('GET', '/contracts', bearer(`${vani.keyPrefix}_${'x'.repeat(43)}`))).status).toBe(401);
    expect((await http('GET', '/contracts', bearer('cnk_nonsense'))).status).toBe(401);

    const otherTenant = authHeader({ tenantId: await stack.registerTenant(), userId: randomUUID(), roles: ['admin'] });
    expect((await http('POST', `/machine-credentials/${vani.id}/revoke`, otherTenant)).status).toBe(404);
    expect((await http('GET', '/machine-credentials', otherTenant)).body.items).toEqual([]);
  });
});
