import type { CheckedJson } from './support/documented-answers';
import { randomUUID } from 'node:crypto';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { LIFECYCLE_TEMPLATES, SYSTEM_TEMPLATES } from '../apps/jtd-dispatcher/src/master-data/jtd-master-data';
import { FakeProvider } from '../apps/jtd-dispatcher/test/support/fake-provider';
import { startStack, Stack } from './support/stack';

/**
 * The JTD operations as declared (issue 10): one input per operation, every input bounded, unknown fields
 * refused, lists paged with the shared cursor, and input that used to answer 500 answering 400 naming it.
 * Every answer also goes through the document check of `stack.http`.
 */
describe('JTD operations over HTTP: shapes, bounds and pages', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let fake: FakeProvider;
  const tenantId = randomUUID();
  const userId = randomUUID();
  const admin = authHeader({ tenantId, userId, roles: ['admin'] });
  const viewer = authHeader({ tenantId, userId: randomUUID(), roles: ['viewer'] });
  const technician = authHeader({ tenantId, userId: randomUUID(), roles: ['technician'] });

  const http: Stack['http'] = (...request) => stack.http(...request);
  const job = (over: Record<string, unknown> = {}) => ({
    sourceType: 'service_reminder',
    sourceId: randomUUID(),
    channel: 'email',
    recipient: { type: 'customer', name: 'Ravi', email: 'ravi@example.com' },
    variables: { customer_name: 'Ravi', service_type: 'AC service', service_date: '2026-12-01', tenant_name: 'CoolAir' },
    scheduledAt: '2030-01-01T00:00:00Z',
    ...over,
  });
  const createJob = async (over: Record<string, unknown> = {}, who = admin) => {
    const r = await http('POST', '/jtd', who, job(over));
    expect(r.status).toBe(201);
    return r.body.items[0];
  };
  const expectInvalid = (r: { status: number; body: CheckedJson }, ...fields: string[]) => {
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    for (const f of fields) expect(Object.keys(r.body.errors)).toContain(f);
  };
  /** Every item of a list, page by page; the pages must not repeat an item. */
  const allPages = async (path: string, who: Record<string, string>, limit: number) => {
    const items: CheckedJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const r = await http('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, who);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...r.body.items);
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(new Set(items.map((i) => JSON.stringify(i))).size).toBe(items.length);
    return { items, pages };
  };

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    stack = await startStack(env, {
      // events owns the tenant registry the gateway asks.
      services: ['events', 'jtd-dispatcher'],
      env: { 'jtd-dispatcher': { ...fake.env(), JTD_POLL_INTERVAL_MS: '200' }, gateway: { RATE_LIMIT_PER_MINUTE: '100000' } },
    });
    await stack.registerTenant(tenantId);
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.stop();
    await env?.dispose();
  });

  it('refuses a job without a recipient with 400 naming it, not 500', async () => {
    const { recipient: _none, ...withoutRecipient } = job();
    expectInvalid(await http('POST', '/jtd', admin, withoutRecipient), 'recipient');
    expectInvalid(await http('POST', '/jtd', admin, { ...job(), recipient: null }), 'recipient');
    expectInvalid(await http('POST', '/jtd', admin, job({ recipient: { type: 'customer' } })), 'recipient.name');
  });

  it('refuses an impossible or offset-less scheduledAt, and out-of-range numbers', async () => {
    for (const scheduledAt of ['2026-02-30T10:00:00Z', '2026-13-01T10:00:00Z', '2026-03-01 10:00', '+275760-09-13T00:00:00Z', 12]) {
      expectInvalid(await http('POST', '/jtd', admin, job({ scheduledAt })), 'scheduledAt');
    }
    expectInvalid(await http('POST', '/jtd', admin, job({ priority: 1e308 })), 'priority');
    expectInvalid(
      await http('POST', '/jtd', admin, job({ channel: 'push', recipient: { type: 'customer', name: 'R', deviceTokens: ['t'.repeat(256)] } })),
      'recipient.deviceTokens',
    );
    expectInvalid(await http('PUT', '/settings/jtd', admin, { dailyLimit: 2 ** 31 }), 'dailyLimit');
    expectInvalid(await http('PUT', '/settings/jtd', admin, { quietHoursStart: '24:00' }), 'quietHoursStart');
  });

  it('refuses unknown fields everywhere, and channel with channels', async () => {
    expectInvalid(await http('POST', '/jtd', admin, job({ colour: 'red' })), 'colour');
    expectInvalid(await http('POST', '/jtd', admin, job({ recipient: { type: 'customer', name: 'R', email: 'r@example.com', fax: '1' } })), 'recipient.fax');
    expectInvalid(await http('POST', '/jtd', admin, job({ channels: ['email', 'sms'] })), 'channels');
    expectInvalid(await http('GET', '/jtd?colour=red', admin), 'colour');
    expectInvalid(await http('PUT', '/settings/jtd', admin, { channelsEnabled: { fax: true } }), 'channelsEnabled.fax');
    expectInvalid(await http('PUT', '/settings/jtd/sources/payment_due', admin, { sourceType: 'other' }), 'sourceType');
  });

  it('moves a job with { toStatus, reason } like every transition route, and refuses the old { to, note }', async () => {
    const a = await createJob();
    expectInvalid(await http('POST', `/jtd/${a.id}/transitions`, admin, { to: 'cancelled', note: 'x' }), 'to', 'note', 'toStatus');
    // A status no flow has (a typo) is refused instead of stranding the job.
    expectInvalid(await http('POST', `/jtd/${a.id}/transitions`, admin, { toStatus: 'canceled' }), 'toStatus');
    const moved = await http('POST', `/jtd/${a.id}/transitions`, admin, { toStatus: 'cancelled', reason: 'customer asked' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'cancelled', previousStatus: 'scheduled', isValidTransition: true });
    const history = await http('GET', `/jtd/${a.id}/history`, admin);
    expect(history.body.items.at(-1)).toMatchObject({ from: 'scheduled', to: 'cancelled', note: 'customer asked', performedBy: { type: 'user', id: userId } });
    // Soft-enforced: a move the flow does not define is made and flagged.
    const b = await createJob();
    const flagged = await http('POST', `/jtd/${b.id}/transitions`, admin, { toStatus: 'delivered', reason: 'confirmed by phone' });
    expect(flagged.body).toMatchObject({ status: 'delivered', isValidTransition: false });
  });

  it('pages jobs, history and templates with limit and cursor', async () => {
    const sourceId = randomUUID();
    const ids = [];
    for (const channel of ['email', 'inapp'])
      ids.push(
        (
          await createJob({
            sourceId,
            channel,
            recipient: { type: 'user', id: userId, name: 'U', email: 'u@example.com' },
            variables: { customer_name: 'U', service_type: 'AC', service_date: '2026-12-01', tenant_name: 'T' },
          })
        ).id,
      );
    const jobs = await allPages(`/jtd?sourceId=${sourceId}`, admin, 1);
    expect(jobs.pages).toBe(2);
    expect(jobs.items.map((j) => j.id).sort()).toEqual([...ids].sort());

    const history = await allPages(`/jtd/${ids[0]}/history`, admin, 1);
    expect(history.items.map((h) => h.to)).toEqual(['created', 'scheduled']);

    // Templates took no limit before; now they page like every list, the tenant's before the system one.
    const templates = await allPages('/jtd/templates', viewer, 7);
    expect(templates.items).toHaveLength(SYSTEM_TEMPLATES.length + LIFECYCLE_TEMPLATES.length);
    expect(templates.items.every((t) => t.isSystem)).toBe(true);
    const keys = templates.items.map((t) => `${t.templateKey}|${t.channel}`);
    expect(keys).toEqual([...keys].sort());
    const sms = await http('GET', '/jtd/templates?channel=sms&limit=200', viewer);
    expect(sms.body.items.every((t: { channel: unknown }) => t.channel === 'sms')).toBe(true);
  });

  it('answers 400 INVALID_CURSOR for a cursor a list did not give out, and 400 for a limit out of range', async () => {
    const id = (await createJob()).id;
    const templateCursor = (await http('GET', '/jtd/templates?limit=1', admin)).body.nextCursor;
    for (const path of ['/jtd', '/jtd/templates', '/jtd/sandbox', '/inbox', `/jtd/${id}/history`]) {
      for (const cursor of ['garbage', 'eyJ4IjoxfQ', Buffer.from('["2026-01-01T00:00:00Z","not-a-uuid"]').toString('base64url')]) {
        const r = await http('GET', `${path}?cursor=${cursor}`, admin);
        expect({ path, cursor, status: r.status, code: r.body.code }).toEqual({ path, cursor, status: 400, code: 'INVALID_CURSOR' });
      }
      for (const limit of ['0', '201', 'abc', '1.5']) expectInvalid(await http('GET', `${path}?limit=${limit}`, admin), 'limit');
    }
    // A cursor of another list does not fit this one.
    expect((await http('GET', `/jtd?cursor=${templateCursor}`, admin)).body.code).toBe('INVALID_CURSOR');
  });

  it('filters the inbox on unread, pages it, and lets every tenant role read its own', async () => {
    const meId = randomUUID();
    const me = authHeader({ tenantId, userId: meId, roles: ['technician'] });
    // The inbox lists notifications newest delivered first; jobs sent at once may arrive in any order, so
    // each is delivered before the next is made.
    let all: Array<{ id: string; title: unknown }> = [];
    for (const [i, title] of ['First', 'Second', 'Third'].entries()) {
      await createJob({
        sourceType: 'system',
        channel: 'inapp',
        recipient: { type: 'user', id: meId, name: 'Tech' },
        variables: { title, body: 'b' },
        scheduledAt: undefined,
      });
      all = await eventually(async () => {
        const r = await http('GET', '/inbox', me);
        expect(r.body.items).toHaveLength(i + 1);
        return r.body.items;
      });
    }
    expect(all.map((n: { title: unknown }) => n.title)).toEqual(['Third', 'Second', 'First']);
    await http('POST', `/inbox/${all[1].id}/read`, me);
    expect((await http('GET', '/inbox?unread=true', me)).body.items.map((n: { title: unknown }) => n.title)).toEqual(['Third', 'First']);
    expect((await http('GET', '/inbox?unread=false', me)).body.items.map((n: { title: unknown }) => n.title)).toEqual(['Second']);
    expectInvalid(await http('GET', '/inbox?unread=maybe', me), 'unread');
    expectInvalid(await http('GET', '/inbox?unreadOnly=true', me), 'unreadOnly');
    expect((await allPages('/inbox', me, 2)).items).toHaveLength(3);
    expect((await http('GET', '/inbox', viewer)).body.items).toEqual([]);
  });

  it('answers 403 to the roles an operation does not name', async () => {
    expect((await http('POST', '/jtd', viewer, job())).status).toBe(403);
    expect((await http('GET', '/jtd', technician)).status).toBe(403);
    expect((await http('GET', '/jtd/sandbox', viewer)).status).toBe(403);
    expect((await http('PUT', '/settings/jtd', viewer, {})).status).toBe(403);
    expect((await http('POST', '/jtd/templates', viewer, {})).status).toBe(403);
    expect((await http('GET', '/inbox', technician)).status).toBe(200);
  });

  it('rotates the webhook secret: the paths it gives work, the old secret stops working, malformed reports answer 400', async () => {
    const first = await http('POST', '/settings/jtd/webhook-secret', admin);
    const second = await http('POST', '/settings/jtd/webhook-secret', admin);
    expect(second.body.webhookSecret).not.toBe(first.body.webhookSecret);
    const path = (p: string) => p.replace(/^\/v1/, '');
    const { email, sms } = second.body.webhookPaths;
    expect(sms).toBe(`/v1/webhooks/msg91/sms?tenant=${tenantId}&token=${second.body.webhookSecret}`);
    const none = {};
    expect((await http('POST', path(first.body.webhookPaths.sms), none, [{ requestId: 'x', status: '1' }])).status).toBe(401);
    expect((await http('POST', path(sms), none, [{ requestId: 'never-sent', status: '1' }])).body).toEqual({ received: 1, applied: 0, unknown: 1, ignored: 0 });
    expect((await http('POST', path(email), none, { eventName: 'delivered' })).body).toMatchObject({ received: 1, ignored: 1 });

    // What answered 500 before: a list with null in it, and ids that are not text.
    const nulls = await http('POST', path(sms), none, [null]);
    expectInvalid(nulls, 'payload.0');
    expectInvalid(await http('POST', path(sms), none, [{ requestId: 'r', status: '1' }, 5, 'x']), 'payload.1', 'payload.2');
    expectInvalid(await http('POST', path(sms), none, { data: [{ requestId: 'r', status: '1' }, null] }), 'payload.data.1');
    expectInvalid(await http('POST', path(email), none, { requestId: { $ne: '' }, eventName: 'delivered' }), 'payload.requestId');
    expectInvalid(await http('POST', path(sms), none, null), 'payload');
    expectInvalid(await http('POST', path(sms), none, 42), 'payload');
    // The secret is checked before the body: a stranger learns nothing from a malformed one.
    expect((await http('POST', path(first.body.webhookPaths.sms), none, [null])).status).toBe(401);
    // The URL parameters are checked too.
    expectInvalid(await http('POST', `/webhooks/msg91/sms?tenant=not-a-uuid&token=x`, none, []), 'tenant');
    expectInvalid(await http('POST', `/webhooks/msg91/fax?tenant=${tenantId}&token=x`, none, []), 'channel');
    expectInvalid(await http('POST', `/webhooks/msg91/sms?tenant=${tenantId}&token=x&extra=1`, none, []), 'extra');
  });

  it('manages tenant templates: create, read, version-checked update, conflicts, system ones read-only', async () => {
    const body = {
      templateKey: 'visit_note',
      name: 'Visit note',
      channel: 'email',
      sourceType: 'service_reminder',
      subject: 'Visit on {{service_date}}',
      content: 'Hello {{customer_name}}',
      variables: [{ name: 'customer_name' }, { name: 'service_date', required: false, default: 'soon' }],
    };
    expectInvalid(await http('POST', '/jtd/templates', admin, { ...body, variables: [{ name: 'customer_name' }] }), 'variables');
    expectInvalid(await http('POST', '/jtd/templates', admin, { ...body, variables: Array.from({ length: 101 }, (_, i) => ({ name: `v${i}` })) }), 'variables');
    expectInvalid(await http('POST', '/jtd/templates', admin, { ...body, channel: 'sms' }), 'providerTemplateId');
    expectInvalid(await http('POST', '/jtd/templates', admin, { ...body, sourceType: 'no_such_source' }), 'sourceType');
    const created = await http('POST', '/jtd/templates', admin, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      templateKey: 'visit_note',
      channel: 'email',
      isSystem: false,
      version: 1,
      isActive: true,
      variables: [
        { name: 'customer_name', required: true, default: null },
        { name: 'service_date', required: false, default: 'soon' },
      ],
    });
    expect((await http('POST', '/jtd/templates', admin, body)).status).toBe(409);
    expect((await http('GET', `/jtd/templates/${created.body.id}`, viewer)).body).toEqual(created.body);
    expect((await http('GET', '/jtd/templates?templateKey=visit_note', viewer)).body.items.map((t: { id: unknown }) => t.id)).toEqual([created.body.id]);

    expectInvalid(await http('PUT', `/jtd/templates/${created.body.id}`, admin, { name: 'No version' }), 'version');
    const updated = await http('PUT', `/jtd/templates/${created.body.id}`, admin, { name: 'Visit note v2', version: 1 });
    expect(updated.body).toMatchObject({ name: 'Visit note v2', version: 2 });
    const stale = await http('PUT', `/jtd/templates/${created.body.id}`, admin, { name: 'Late', version: 1 });
    expect(stale).toMatchObject({ status: 409, body: { code: 'VERSION_CONFLICT' } });
    const system = (await http('GET', '/jtd/templates?templateKey=service_reminder_email_v1', admin)).body.items[0];
    expect((await http('PUT', `/jtd/templates/${system.id}`, admin, { name: 'Mine', version: system.version })).status).toBe(422);
    expect((await http('GET', `/jtd/templates/${randomUUID()}`, admin)).status).toBe(404);
  });

  it('reads and overrides a source type’s settings', async () => {
    const before = await http('GET', '/settings/jtd/sources/payment_overdue', admin);
    expect(before.body).toEqual({
      sourceType: 'payment_overdue',
      channelsEnabled: null,
      isEnabled: true,
      autoExecute: false,
      priorityOverride: null,
      delaySeconds: 0,
      version: 0,
    });
    const after = await http('PUT', '/settings/jtd/sources/payment_overdue', admin, { isEnabled: false, priorityOverride: null });
    expect(after.body).toMatchObject({ isEnabled: false, version: 1 });
    const refused = await http('POST', '/jtd', admin, job({ sourceType: 'payment_overdue', variables: {} }));
    expect(refused).toMatchObject({ status: 422, body: { code: 'BUSINESS_RULE' } });
    expectInvalid(await http('PUT', '/settings/jtd/sources/payment_overdue', admin, { delaySeconds: -1 }), 'delaySeconds');
    expectInvalid(await http('GET', '/settings/jtd/sources/Not-A-Code', admin), 'sourceType');
  });
});
