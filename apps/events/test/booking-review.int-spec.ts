import { randomUUID } from 'node:crypto';
import { eventually } from '@app/shared/testing/eventually';
import { referenceContract } from './support/contract-factory';
import { EventsHarness, startEventsHarness } from './support/events-harness';

describe('booking review flow and lifecycle', () => {
  let h: EventsHarness;

  beforeAll(async () => {
    h = await startEventsHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  const booking = () => h.rpc.ok('events.contracts.create', referenceContract({ customer: { id: randomUUID(), name: 'Acme Foods' } }));
  const emitted = async (bookingId: string) =>
    (await h.db.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY seq`, [bookingId])).rows;

  it('goes submit → request changes → update → resubmit → approve, activating on approval', async () => {
    const b = await booking();
    await h.rpc.ok('events.contracts.submit', { id: b.id });
    const sentBack = await h.rpc.ok('events.contracts.request-changes', {
      id: b.id,
      changes: [{ field: 'billing.installments', reason: 'customer wants monthly', suggestedValue: '12' }],
    });
    expect(sentBack.status).toBe('changes_requested');
    expect(sentBack.review.changesRequested.changes[0]).toEqual({ field: 'billing.installments', reason: 'customer wants monthly', suggestedValue: '12' });
    const edited = await h.rpc.ok('events.contracts.update', {
      id: b.id,
      version: sentBack.version,
      billing: { mode: 'emi', total: '12000.00', currency: 'INR', installments: 12 },
    });
    expect(edited.billing.installments).toBe(12);
    expect(edited.needsReapproval).toBe(false);
    await h.rpc.ok('events.contracts.submit', { id: b.id });
    const approved = await h.rpc.ok('events.contracts.approve', { id: b.id, notes: 'fine' });
    expect(approved).toMatchObject({ status: 'active', totalEvents: 12 + 10 + 12 });
    const types = (await emitted(b.id)).map((r) => r.type);
    expect(types).toEqual([
      'BOOKING_CREATED',
      'BOOKING_SUBMITTED',
      'BOOKING_CHANGES_REQUESTED',
      'BOOKING_UPDATED',
      'BOOKING_SUBMITTED',
      'BOOKING_APPROVED',
      'CONTRACT_ACTIVATED',
      'EVENT_INSTANCES_GENERATED',
    ]);
    const events = await emitted(b.id);
    expect(events[4].payload).toMatchObject({ isResubmission: true, eventDates: expect.any(Array) });
    expect(events[4].payload.eventDates).toHaveLength(34);
    expect(events[3].payload).toMatchObject({ changedFields: ['billing'], needsReapproval: false });
    // approving again is a no-op
    expect((await h.rpc.ok('events.contracts.approve', { id: b.id })).version).toBe(approved.version);
  });

  it('flags needsReapproval when promises change under review', async () => {
    const b = await booking();
    const submitted = await h.rpc.ok('events.contracts.submit', { id: b.id });
    const edited = await h.rpc.ok('events.contracts.update', { id: b.id, version: submitted.version, endDate: '2026-11-30' });
    expect(edited).toMatchObject({ status: 'pending_review', needsReapproval: true });
    expect(await h.rpc.call('events.contracts.update', { id: b.id, version: submitted.version, title: 'x' })).toMatchObject({ ok: false, error: { code: 'VERSION_CONFLICT' } });
  });

  it('rejects with or without allowing resubmission', async () => {
    const a = await booking();
    await h.rpc.ok('events.contracts.submit', { id: a.id });
    await h.rpc.ok('events.contracts.reject', { id: a.id, reason: 'price too low', allowResubmission: true });
    expect((await h.rpc.ok('events.contracts.submit', { id: a.id })).status).toBe('pending_review');

    const b = await booking();
    await h.rpc.ok('events.contracts.submit', { id: b.id });
    const rejected = await h.rpc.ok('events.contracts.reject', { id: b.id, reason: 'duplicate', allowResubmission: false });
    expect(rejected.review.rejection).toMatchObject({ reason: 'duplicate', allowResubmission: false });
    expect(await h.rpc.call('events.contracts.submit', { id: b.id })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
    expect(await h.rpc.call('events.contracts.approve', { id: b.id })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
    const payload = (await emitted(b.id)).find((r) => r.type === 'BOOKING_REJECTED')!.payload;
    expect(payload).toMatchObject({ bookingId: b.id, reason: 'duplicate', allowResubmission: false, rejectedBy: expect.any(String) });
  });

  it('does not activate a booking under review directly, nor approve a draft', async () => {
    const b = await booking();
    expect(await h.rpc.call('events.contracts.approve', { id: b.id })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
    await h.rpc.ok('events.contracts.submit', { id: b.id });
    expect(await h.rpc.call('events.contracts.activate', { id: b.id })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
  });

  it('approves concurrently once', async () => {
    const b = await booking();
    await h.rpc.ok('events.contracts.submit', { id: b.id });
    const results = await Promise.all([1, 2, 3].map(() => h.rpc.call('events.contracts.approve', { id: b.id })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await h.db.query(`SELECT count(*)::int AS n FROM contract_events WHERE contract_id = $1`, [b.id])).rows[0].n).toBe(26);
    expect((await emitted(b.id)).filter((r) => r.type === 'CONTRACT_ACTIVATED')).toHaveLength(1);
  });

  it('cancels an active contract: open events cancelled and listed, closed ones untouched, promises frozen', async () => {
    const b = await booking();
    const active = await h.rpc.ok('events.contracts.activate', { id: b.id });
    expect(await h.rpc.call('events.contracts.update', { id: b.id, version: active.version, services: [] })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
    const renamed = await h.rpc.ok('events.contracts.update', { id: b.id, version: active.version, title: 'Chillers, renamed' });
    expect(renamed.title).toBe('Chillers, renamed');
    const page = await h.rpc.ok('events.events.list', { contractId: b.id, type: 'billing' });
    const bill = page.items[0];
    await h.rpc.ok('events.events.record-payment', { id: bill.id, amount: bill.amount, version: bill.version });
    const cancelled = await h.rpc.ok('events.contracts.cancel', { id: b.id, reason: 'site closed' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'site closed' });
    expect(cancelled.affectedEventIds).toHaveLength(25);
    expect(cancelled.affectedEventIds).not.toContain(bill.id);
    const counts = (await h.rpc.ok('events.contracts.get', { id: b.id })).eventCounts;
    expect(counts.billing.byStatus).toEqual({ cancelled: 3, paid: 1 });
    const payload = (await emitted(b.id)).find((r) => r.type === 'BOOKING_CANCELLED')!.payload;
    expect(payload).toMatchObject({ reason: 'site closed', affectedEventIds: cancelled.affectedEventIds, clientId: expect.any(String) });
    const changed = await h.db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'CONTRACT_EVENT_STATUS_CHANGED' AND payload->>'contractId' = $1 AND payload->>'newStatus' = 'cancelled'`, [b.id]);
    expect(changed.rows[0].n).toBe(25);
    expect((await h.rpc.ok('events.contracts.cancel', { id: b.id, reason: 'again' })).affectedEventIds).toEqual([]);
    expect(await h.rpc.call('events.contracts.create-event', { id: b.id, type: 'service', scheduledDate: '2026-05-05' })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
  });

  it('refuses a second contract with the same number', async () => {
    const input = referenceContract();
    await h.rpc.ok('events.contracts.create', input);
    expect(await h.rpc.call('events.contracts.create', input)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('lists contracts newest first with a cursor and a status filter', async () => {
    const tenantId = randomUUID();
    for (let i = 0; i < 3; i++) await h.rpc.ok('events.contracts.create', referenceContract(), { tenantId });
    const first = await h.rpc.ok('events.contracts.list', { limit: 2 }, { tenantId });
    expect(first.items).toHaveLength(2);
    const second = await h.rpc.ok('events.contracts.list', { limit: 2, cursor: first.nextCursor }, { tenantId });
    expect(second).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    expect((await h.rpc.ok('events.contracts.list', { status: 'active' }, { tenantId })).items).toEqual([]);
    expect(await h.rpc.call('events.contracts.list', { cursor: 'garbage' }, { tenantId })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', errors: { cursor: expect.any(Array) } } });
  });

  it('registers tenants (platform admins only) and seeds their flows once from TENANT_CREATED', async () => {
    expect(await h.rpc.call('events.tenants.create', { name: 'Nope', timezone: 'Asia/Kolkata' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const t = await h.rpc.ok('events.tenants.create', { name: 'Kumar Facilities', timezone: 'Asia/Kolkata', locale: 'en-IN' }, { roles: ['platform_admin'] });
    const count = async () =>
      (await h.db.query(`SELECT count(*)::int AS n FROM status_definitions WHERE tenant_id = $1`, [t.id])).rows[0].n;
    const defaults = (await h.db.query(`SELECT count(*)::int AS n FROM status_definitions WHERE tenant_id IS NULL AND machine LIKE 'contract_event:%'`)).rows[0].n;
    await eventually(async () => expect(await count()).toBe(defaults));
    const created = await h.db.query(`SELECT tenant_id, payload FROM outbox WHERE type = 'TENANT_CREATED' AND aggregate_id = $1`, [t.id]);
    expect(created.rows[0]).toMatchObject({ tenant_id: t.id, payload: { name: 'Kumar Facilities', timezone: 'Asia/Kolkata', locale: 'en-IN' } });
    expect((await h.rpc.ok('events.event-statuses.get', { eventType: 'billing' }, { tenantId: t.id })).isTenantOverride).toBe(false);
  });
});
