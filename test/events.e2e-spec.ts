import { Role } from '@app/shared/context/request-context';
import type { CheckedJson } from './support/documented-answers';
import { randomUUID } from 'node:crypto';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { eventually } from '@app/shared/testing/eventually';
import { authHeader } from '@app/shared/testing/tokens';
import { referenceContract } from '../apps/events/test/support/contract-factory';
import { startStack, Stack } from './support/stack';

const tenantA = randomUUID();
const tenantB = randomUUID();
/** Tenants of the tests that change status flows and of the issue-10 shapes, registered before the first test. */
const flowTenant = randomUUID();
const raceTenant = randomUUID();
const shapesTenant = randomUUID();
const userId = randomUUID();

describe('events service through the gateway', () => {
  let env: TestEnvironment;
  let stack: Stack;

  const call = (method: string, path: string, body?: unknown, tenantId = tenantA, roles: Role[] = ['admin']) =>
    stack.http(method, path, authHeader({ tenantId, userId, roles }), body);

  beforeAll(async () => {
    env = await createTestEnvironment();
    stack = await startStack(env, { services: ['events'], env: { events: { EVENT_SCHEDULER_ENABLED: 'false' } } });
    for (const id of [tenantA, tenantB, flowTenant, raceTenant, shapesTenant]) await stack.registerTenant(id);
  });

  afterAll(async () => {
    await stack?.close();
    await env?.dispose();
  });

  it('creates a tenant as platform admin and seeds its status flows from TENANT_CREATED', async () => {
    const created = await call('POST', '/tenants', { name: 'Kumar Facilities', timezone: 'Asia/Kolkata' }, tenantA, ['platform_admin']);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), name: 'Kumar Facilities', timezone: 'Asia/Kolkata', locale: 'en-IN' });
    const newTenant = created.body.id;
    await eventually(async () => {
      const flow = await call('GET', '/settings/event-statuses/service', undefined, newTenant);
      expect(flow.status).toBe(200);
      // seeded copies are the tenant's own rows, but still the defaults: not an override
      expect(flow.body.isTenantOverride).toBe(false);
      expect(flow.body.statuses.map((s: { code: unknown }) => s.code)).toContain('due');
    });
    expect((await call('POST', '/tenants', { name: 'X', timezone: 'Asia/Kolkata' }, tenantA, ['admin'])).status).toBe(403);
    expect((await call('POST', '/tenants', { name: 'X', timezone: 'Mars/Olympus' }, tenantA, ['platform_admin'])).status).toBe(400);
  });

  it('runs a contract from draft to events, moves, people, tasks, payments and audit', async () => {
    const draft = await call('POST', '/contracts', referenceContract());
    expect(draft.status).toBe(201);
    const id = draft.body.id;
    expect((await call('POST', `/contracts/${id}/submit`)).body.status).toBe('pending_review');
    const approved = await call('POST', `/contracts/${id}/approve`, { notes: 'ok' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'active', totalEvents: 26 });

    const list = await call('GET', `/events?contractId=${id}&type=service&limit=5`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(5);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    const next = await call('GET', `/events?contractId=${id}&type=service&limit=50&cursor=${list.body.nextCursor}`);
    expect(next.body.items).toHaveLength(7);

    const visit = list.body.items[0];
    const moves = await call('GET', `/events/${visit.id}/transitions`);
    expect(moves.body.items.map((t: { toStatus: unknown }) => t.toStatus)).toEqual(expect.arrayContaining(['assigned', 'in_progress', 'cancelled']));
    const assigned = await call('POST', `/events/${visit.id}/transitions`, { toStatus: 'assigned', version: visit.version });
    expect(assigned.status).toBe(200);
    expect(assigned.body.status).toBe('assigned');
    const stale = await call('POST', `/events/${visit.id}/transitions`, { toStatus: 'in_progress', version: visit.version });
    expect(stale.status).toBe(409);
    const notAllowed = await call('POST', `/events/${visit.id}/transitions`, { toStatus: 'completed', version: assigned.body.version });
    expect(notAllowed).toMatchObject({ status: 422, body: { code: 'TRANSITION_NOT_ALLOWED' } });

    const people = await call('PUT', `/events/${visit.id}/assignees`, [
      { userId, name: 'Ravi', role: 'assignee' },
      { userId: randomUUID(), role: 'observer' },
    ]);
    expect(people.status).toBe(200);
    expect(people.body.assignees).toHaveLength(2);
    expect((await call('GET', `/events?assigneeId=${userId}`)).body.items.map((e: { id: unknown }) => e.id)).toEqual([visit.id]);

    const task = await call('POST', `/events/${visit.id}/tasks`, { title: 'Check refrigerant', required: true });
    expect(task.status).toBe(201);
    const done = await call('PATCH', `/events/${visit.id}/tasks/${task.body.id}`, { done: true });
    expect(done.body).toMatchObject({ done: true, isAutoTriggered: false, source: 'user' });

    const current = (await call('GET', `/events/${visit.id}`)).body;
    expect(current.tasks).toEqual([expect.objectContaining({ title: 'Check refrigerant', required: true, done: true })]);
    const moved = await call('PATCH', `/events/${visit.id}`, { scheduledDate: '2026-01-05', reason: 'customer asked', version: current.version });
    expect(moved.status).toBe(200);
    expect(moved.body.originalDate).toBe(visit.originalDate);
    expect(moved.body.scheduledDate).not.toBe(visit.scheduledDate);

    const audit = await call('GET', `/events/${visit.id}/audit`);
    expect(audit.body.items.map((a: { field: unknown }) => a.field)).toEqual(['status', 'status', 'assignees', 'task', 'task', 'scheduled_date']);
    expect(audit.body.items[1]).toMatchObject({
      from: 'scheduled',
      to: 'assigned',
      actor: { type: 'user', id: userId },
      source: 'user',
      timeInPreviousStatus: expect.any(Number),
    });

    const bill = (await call('GET', `/events?contractId=${id}&type=billing`)).body.items[0];
    const part = await call('POST', `/events/${bill.id}/payments`, { amount: '1000.00', version: bill.version });
    expect(part.body).toMatchObject({ status: 'partial_payment', amountSettled: '1000.00' });
    const full = await call('POST', `/events/${bill.id}/payments`, { amount: '1500.00', version: part.body.version });
    expect(full.body).toMatchObject({ status: 'paid', amountSettled: '2500.00' });

    const balance = await call('GET', `/contracts/${id}/spare-parts`);
    expect(balance.body.items).toEqual([
      expect.objectContaining({ partId: 'FILTER-10', promisedQty: 10, completedQty: 0, remainingQty: 10, availableQty: 0, unlimited: false }),
      expect.objectContaining({ partId: 'GASKET', promisedQty: null, remainingQty: null, unlimited: true }),
    ]);
    const gasket = await call('POST', `/contracts/${id}/events`, { type: 'spare_part', partId: 'GASKET', quantity: 2, scheduledDate: '2026-03-03' });
    expect(gasket.status).toBe(201);
    expect(gasket.body).toMatchObject({ isUnlimited: true, quantity: 2, taskId: expect.stringMatching(/^TSK-\d{5}$/) });
    const beyond = await call('POST', `/contracts/${id}/events`, { type: 'spare_part', partId: 'FILTER-10', scheduledDate: '2026-03-03' });
    expect(beyond).toMatchObject({ status: 422, body: { code: 'BUSINESS_RULE' } });

    const cockpit = await call('GET', '/cockpit');
    expect(cockpit.status).toBe(200);
    expect(cockpit.body.types.service.buckets).toMatchObject({ upcoming: 12 });
    expect(cockpit.body.types.billing.buckets.done).toBe(1);

    const detail = await call('GET', `/contracts/${id}`);
    expect(detail.body.eventCounts.billing.byStatus).toEqual({ paid: 1, scheduled: 3 });
    const cancelled = await call('POST', `/contracts/${id}/cancel`, { reason: 'customer closed the site' });
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.affectedEventIds).toHaveLength(26); // 27 events, one paid
  });

  it('lets a tenant override a flow and reset it', async () => {
    const own = {
      statuses: [
        { code: 'planned', label: 'Planned', order: 1, isInitial: true, isTerminal: false, category: 'upcoming' },
        { code: 'done', label: 'Done', order: 2, isInitial: false, isTerminal: true, category: 'done' },
      ],
      transitions: [{ from: 'planned', to: 'done', requiresReason: true, requiresEvidence: false }],
      dueLeadDays: 3,
    };
    const tenant = flowTenant;
    const put = await call('PUT', '/settings/event-statuses/spare_part', own, tenant);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ isTenantOverride: true, dueLeadDays: 3 });
    const invalid = await call(
      'PUT',
      '/settings/event-statuses/spare_part',
      { ...own, transitions: [{ from: 'planned', to: 'nowhere', requiresReason: false, requiresEvidence: false }] },
      tenant,
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toHaveProperty(['transitions.0.to']);
    const reset = await call('DELETE', '/settings/event-statuses/spare_part', undefined, tenant);
    expect(reset.body.isTenantOverride).toBe(false);
    expect(reset.body.statuses.map((s: { code: unknown }) => s.code)).toContain('installed');
  });

  it('takes overrides and resets of one flow at once, one after the other, never a 500', async () => {
    const tenant = raceTenant;
    const { eventType: _type, isTenantOverride: _override, ...flow } = (await call('GET', '/settings/event-statuses/billing', undefined, tenant)).body;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 ? call('PUT', '/settings/event-statuses/billing', flow, tenant) : call('DELETE', '/settings/event-statuses/billing', undefined, tenant),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
  });

  describe('tenancy and validation', () => {
    let contractId: string;
    let eventId: string;
    let taskId: string;

    beforeAll(async () => {
      contractId = (await call('POST', '/contracts', referenceContract(), tenantB)).body.id;
      await call('POST', `/contracts/${contractId}/activate`, undefined, tenantB);
      const e = (await call('GET', `/events?contractId=${contractId}&type=service&limit=1`, undefined, tenantB)).body.items[0];
      eventId = e.id;
      taskId = (await call('POST', `/events/${eventId}/tasks`, { title: 'Checklist' }, tenantB)).body.id;
    });

    const routes = (): Array<[string, string, unknown?]> => [
      ['GET', `/contracts/${contractId}`],
      ['PATCH', `/contracts/${contractId}`, { version: 1, title: 'x' }],
      ['POST', `/contracts/${contractId}/submit`],
      ['POST', `/contracts/${contractId}/resubmit`],
      ['POST', `/contracts/${contractId}/approve`, {}],
      ['POST', `/contracts/${contractId}/reject`, { reason: 'no', allowResubmission: true }],
      ['POST', `/contracts/${contractId}/request-changes`, { changes: [{ field: 'title', reason: 'typo' }] }],
      ['POST', `/contracts/${contractId}/cancel`, { reason: 'no' }],
      ['POST', `/contracts/${contractId}/activate`],
      ['GET', `/contracts/${contractId}/spare-parts`],
      ['POST', `/contracts/${contractId}/events`, { type: 'service', scheduledDate: '2026-02-02' }],
      ['GET', `/events/${eventId}`],
      ['PATCH', `/events/${eventId}`, { notes: 'x', version: 1 }],
      ['POST', `/events/${eventId}/transitions`, { toStatus: 'assigned', version: 1 }],
      ['GET', `/events/${eventId}/transitions`],
      ['PUT', `/events/${eventId}/assignees`, []],
      ['POST', `/events/${eventId}/tasks`, { title: 'x' }],
      ['PATCH', `/events/${eventId}/tasks/${taskId}`, { done: true }],
      ['GET', `/events/${eventId}/audit`],
      ['POST', `/events/${eventId}/payments`, { amount: '1.00', version: 1 }],
    ];

    it("answers 404 for another tenant's ids on every route", async () => {
      for (const [method, path, body] of routes()) {
        const res = await call(method, path, body, tenantA);
        expect({ method, path, status: res.status, code: res.body?.code }).toEqual({ method, path, status: 404, code: 'NOT_FOUND' });
      }
      expect((await call('GET', `/events?contractId=${contractId}`, undefined, tenantA)).body.items).toEqual([]);
      expect((await call('GET', '/contracts', undefined, tenantA)).body.items.some((c: { id: unknown }) => c.id === contractId)).toBe(false);
    });

    it('answers 400 naming the field for bad input on every route', async () => {
      const bad: Array<[string, string, unknown, string]> = [
        ['POST', '/contracts', { ...referenceContract(), startDate: '2026-13-01' }, 'startDate'],
        ['POST', '/contracts', { ...referenceContract(), extra: 1 }, 'extra'],
        ['GET', '/contracts?limit=0', undefined, 'limit'],
        ['GET', '/contracts/not-a-uuid', undefined, 'id'],
        ['PATCH', `/contracts/${contractId}`, { title: 'x' }, 'version'],
        ['POST', '/contracts/not-a-uuid/submit', undefined, 'id'],
        ['POST', `/contracts/${contractId}/approve`, { notes: 5 }, 'notes'],
        ['POST', `/contracts/${contractId}/reject`, { reason: 'no' }, 'allowResubmission'],
        ['POST', `/contracts/${contractId}/request-changes`, { changes: [] }, 'changes'],
        ['POST', `/contracts/${contractId}/cancel`, {}, 'reason'],
        ['POST', '/contracts/nope/activate', undefined, 'id'],
        ['GET', '/contracts/nope/spare-parts', undefined, 'id'],
        ['POST', `/contracts/${contractId}/events`, { type: 'billing', scheduledDate: '2026-02-02' }, 'type'],
        ['GET', '/events?type=visit', undefined, 'type'],
        ['GET', '/events/nope', undefined, 'id'],
        ['PATCH', `/events/${eventId}`, { scheduledDate: 'tomorrow', version: 1 }, 'scheduledDate'],
        ['POST', `/events/${eventId}/transitions`, { toStatus: 'Done!', version: 1 }, 'toStatus'],
        ['GET', '/events/nope/transitions', undefined, 'id'],
        ['PUT', `/events/${eventId}/assignees`, [{ userId, role: 'boss' }], 'assignees.0.role'],
        ['POST', `/events/${eventId}/tasks`, { title: '' }, 'title'],
        ['PATCH', `/events/${eventId}/tasks/nope`, { done: true }, 'taskId'],
        ['GET', `/events/${eventId}/audit?limit=500`, undefined, 'limit'],
        ['POST', `/events/${eventId}/payments`, { amount: '1.005', version: 1 }, 'amount'],
        ['GET', '/cockpit?from=yesterday', undefined, 'from'],
        ['GET', '/settings/event-statuses/visit', undefined, 'eventType'],
        ['PUT', '/settings/event-statuses/service', { statuses: [], transitions: [] }, 'statuses'],
        ['DELETE', '/settings/event-statuses/visit', undefined, 'eventType'],
        ['POST', '/tenants', { timezone: 'Asia/Kolkata' }, 'name'],
      ];
      for (const [method, path, body, field] of bad) {
        const res = await call(method, path, body, tenantB, method === 'POST' && path === '/tenants' ? ['platform_admin'] : ['admin']);
        expect({ method, path, status: res.status, fields: Object.keys(res.body?.errors ?? {}).some((k) => k === field || k.startsWith(`${field}.`)) }).toEqual(
          {
            method,
            path,
            status: 400,
            fields: true,
          },
        );
      }
    });
  });

  describe('one contract per operation: the shapes of issue 10', () => {
    const tenant = shapesTenant;
    const as = (method: string, path: string, body?: unknown) => call(method, path, body, tenant);
    const fieldsOf = (res: { body: CheckedJson }) => Object.keys(res.body?.errors ?? {});

    it('answers 400 naming the field where malformed input used to fail with 500', async () => {
      const { customer: _customer, ...noCustomer } = referenceContract();
      const missing = await as('POST', '/contracts', noCustomer);
      expect({ status: missing.status, code: missing.body.code, fields: fieldsOf(missing) }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: ['customer'],
      });
      const impossible = await as('POST', '/contracts', referenceContract({ startDate: '2026-02-30' }));
      expect({ status: impossible.status, fields: fieldsOf(impossible) }).toEqual({ status: 400, fields: ['startDate'] });

      const c = (await as('POST', '/contracts', referenceContract())).body;
      const huge = await as('PATCH', `/contracts/${c.id}`, { version: 2147483648, title: 'x' });
      expect({ status: huge.status, fields: fieldsOf(huge) }).toEqual({ status: 400, fields: ['version'] });
      const noVersion = await as('PATCH', `/contracts/${c.id}`, { title: 'x' });
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.errors.version).toEqual(expect.arrayContaining([expect.stringContaining('send the version you read')]));
      const extra = await as('POST', `/contracts/${c.id}/activate`, { now: true });
      expect({ status: extra.status, fields: fieldsOf(extra) }).toEqual({ status: 400, fields: ['now'] });
      expect((await as('GET', `/contracts/${c.id}`)).body.status).toBe('draft');
    });

    it('refuses a cursor no list gave out with 400 INVALID_CURSOR', async () => {
      const c = (await as('POST', '/contracts', referenceContract({ services: [{ name: 'Visit', quantity: 3 }], spareParts: [], billing: undefined }))).body;
      await as('POST', `/contracts/${c.id}/activate`);
      const [event] = (await as('GET', `/events?contractId=${c.id}&limit=1`)).body.items;
      const forged = Buffer.from(JSON.stringify(['not a date', 'nope'])).toString('base64url');
      for (const path of [
        '/contracts?cursor=garbage',
        `/contracts?cursor=${forged}`,
        `/events?cursor=${forged}`,
        `/events/${event.id}/audit?cursor=${forged}`,
      ]) {
        const res = await as('GET', path);
        expect({ path, status: res.status, code: res.body.code, fields: fieldsOf(res) }).toEqual({
          path,
          status: 400,
          code: 'INVALID_CURSOR',
          fields: ['cursor'],
        });
      }
    });

    it('plans 12 monthly visits a month apart, and refuses 13 that do not fit before the end date', async () => {
      const monthly = { name: 'AMC visit', quantity: 12, every: { unit: 'month' as const, interval: 1 } };
      const c = await as('POST', '/contracts', referenceContract({ services: [monthly], spareParts: [], billing: undefined }));
      expect(c.status).toBe(201);
      expect((await as('POST', `/contracts/${c.body.id}/activate`)).body.totalEvents).toBe(12);
      const visits = (await as('GET', `/events?contractId=${c.body.id}&type=service`)).body.items;
      // local midnights in Asia/Kolkata: the first of each month at 18:30 UTC the day before
      expect(visits.map((e: { scheduledDate: unknown }) => e.scheduledDate)).toEqual(
        Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2026, m, 1) - 5.5 * 3600_000).toISOString()),
      );
      const tooMany = await as('POST', '/contracts', referenceContract({ services: [{ ...monthly, quantity: 13 }], spareParts: [], billing: undefined }));
      expect(tooMany).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      expect(tooMany.body.errors['services.0.quantity']).toEqual([expect.stringContaining('only 12 do')]);
    });

    it('searches contracts with q and pages every list with limit and cursor', async () => {
      const make = (title: string, name: string) => as('POST', '/contracts', referenceContract({ title, customer: { name } }));
      const a = (await make('Chiller care', 'Zeta Foods')).body;
      const b = (await make('Lift upkeep', 'zeta towers')).body;
      await make('Generator service', 'Omega Mills');
      const zeta = await as('GET', '/contracts?q=ZETA&limit=1');
      expect(zeta.body.items.map((x: { id: unknown }) => x.id)).toEqual([b.id]);
      const next = await as('GET', `/contracts?q=ZETA&limit=1&cursor=${zeta.body.nextCursor}`);
      expect(next.body).toEqual({ items: [expect.objectContaining({ id: a.id })], nextCursor: null });
      expect((await as('GET', `/contracts?q=${encodeURIComponent(a.contractNumber)}`)).body.items.map((x: { id: unknown }) => x.id)).toEqual([a.id]);
      expect((await as('GET', `/contracts?q=${'x'.repeat(101)}`)).status).toBe(400);
    });

    it('takes the assignees as the body array, and refuses the old object form', async () => {
      const c = (await as('POST', '/contracts', referenceContract({ services: [{ name: 'Visit', quantity: 1 }], spareParts: [], billing: undefined }))).body;
      await as('POST', `/contracts/${c.id}/activate`);
      const [event] = (await as('GET', `/events?contractId=${c.id}`)).body.items;
      const set = await as('PUT', `/events/${event.id}/assignees`, [{ userId, name: 'Ravi', role: 'assignee' }]);
      expect(set).toMatchObject({ status: 200, body: { assignees: [{ userId, name: 'Ravi', role: 'assignee' }] } });
      const old = await as('PUT', `/events/${event.id}/assignees`, { assignees: [] });
      expect(old.status).toBe(400);
      expect(old.body.errors.assignees).toEqual(expect.arrayContaining([expect.stringContaining('array')]));
    });

    it('takes back a status flow read with GET after adding a transition without flags', async () => {
      const { eventType: _type, isTenantOverride: _override, ...flow } = (await as('GET', '/settings/event-statuses/billing')).body;
      const put = await as('PUT', '/settings/event-statuses/billing', { ...flow, transitions: [...flow.transitions, { from: 'sent', to: 'waived' }] });
      expect(put.status).toBe(200);
      expect(put.body.statuses).toEqual(flow.statuses);
      expect(put.body.transitions.find((t: { from: unknown; to: unknown }) => t.from === 'sent' && t.to === 'waived')).toEqual({
        from: 'sent',
        to: 'waived',
        requiresReason: false,
        requiresEvidence: false,
        isAutomatic: false,
        requiresTasksDone: false,
      });
    });
  });
});
