import { randomUUID } from 'node:crypto';
import { getEventStatuses } from '@app/shared/api/events/cockpit-settings.operations';
import { listEvents, recordEventPayment } from '@app/shared/api/events/contract-events.operations';
import {
  activateContract,
  approveContract,
  cancelContract,
  createContract,
  createOnDemandEvent,
  getContract,
  listContracts,
  rejectContract,
  requestContractChanges,
  submitContract,
  updateContract,
} from '@app/shared/api/events/contracts.operations';
import { createTenant } from '@app/shared/api/platform/platform.operations';
import { eventually } from '@app/shared/testing/eventually';
import { contractInput, referenceContract } from './support/contract-factory';
import { EventsHarness, startEventsHarness } from './support/events-harness';

describe('booking review flow and lifecycle', () => {
  let h: EventsHarness;

  beforeAll(async () => {
    h = await startEventsHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  const booking = () => h.rpc.ok(createContract, referenceContract({ customer: { id: randomUUID(), name: 'Acme Foods' } }));
  const emitted = async (bookingId: string) => (await h.db.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY seq`, [bookingId])).rows;

  it('goes submit → request changes → update → resubmit → approve, activating on approval', async () => {
    const b = await booking();
    await h.rpc.ok(submitContract, { id: b.id });
    const sentBack = await h.rpc.ok(requestContractChanges, {
      id: b.id,
      changes: [{ field: 'billing.installments', reason: 'customer wants monthly', suggestedValue: '12' }],
    });
    expect(sentBack.status).toBe('changes_requested');
    expect(sentBack.review.changesRequested!.changes[0]).toEqual({ field: 'billing.installments', reason: 'customer wants monthly', suggestedValue: '12' });
    const edited = await h.rpc.ok(updateContract, {
      id: b.id,
      version: sentBack.version,
      billing: { mode: 'emi', total: '12000.00', currency: 'INR', installments: 12 },
    });
    expect(edited.billing!.installments).toBe(12);
    expect(edited.needsReapproval).toBe(false);
    await h.rpc.ok(submitContract, { id: b.id });
    const approved = await h.rpc.ok(approveContract, { id: b.id, notes: 'fine' });
    expect(approved).toMatchObject({ status: 'active', totalEvents: 12 + 10 + 12 });
    const types = (await emitted(b.id)).map((r) => r.type);
    expect(types.filter((t) => t !== 'CONTRACT_STATUS_CHANGED')).toEqual([
      'BOOKING_CREATED',
      'BOOKING_SUBMITTED',
      'BOOKING_CHANGES_REQUESTED',
      'BOOKING_UPDATED',
      'BOOKING_SUBMITTED',
      'BOOKING_APPROVED',
      'CONTRACT_ACTIVATED',
      'EVENT_INSTANCES_GENERATED',
      // its 34 events, listed in one message
      'CONTRACT_EVENTS_CREATED',
    ]);
    expect((await emitted(b.id)).find((r) => r.type === 'CONTRACT_EVENTS_CREATED')!.payload.events).toHaveLength(34);
    // every status change, in order, with who made it
    const moves = (await emitted(b.id)).filter((r) => r.type === 'CONTRACT_STATUS_CHANGED').map((r) => r.payload);
    expect(moves.map((p) => `${p.previousStatus}>${p.newStatus}`)).toEqual([
      'draft>pending_review',
      'pending_review>changes_requested',
      'changes_requested>pending_review',
      'pending_review>active',
    ]);
    expect(moves[1]).toMatchObject({
      reason: 'Changes requested: billing.installments',
      changedBy: { type: 'user' },
      source: 'user',
      version: expect.any(Number),
    });
    const events = (await emitted(b.id)).filter((r) => r.type !== 'CONTRACT_STATUS_CHANGED');
    expect(events[4].payload).toMatchObject({ isResubmission: true, eventDates: expect.any(Array) });
    expect(events[4].payload.eventDates).toHaveLength(34);
    expect(events[3].payload).toMatchObject({ changedFields: ['billing'], needsReapproval: false });
    // approving again is a no-op
    expect((await h.rpc.ok(approveContract, { id: b.id })).version).toBe(approved.version);
  });

  it('flags needsReapproval when promises change under review', async () => {
    const b = await booking();
    const submitted = await h.rpc.ok(submitContract, { id: b.id });
    const edited = await h.rpc.ok(updateContract, { id: b.id, version: submitted.version, endDate: '2026-11-30' });
    expect(edited).toMatchObject({ status: 'pending_review', needsReapproval: true });
    expect(await h.rpc.call(updateContract, { id: b.id, version: submitted.version, title: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT' },
    });
  });

  it('rejects with or without allowing resubmission', async () => {
    const a = await booking();
    await h.rpc.ok(submitContract, { id: a.id });
    await h.rpc.ok(rejectContract, { id: a.id, reason: 'price too low', allowResubmission: true });
    expect((await h.rpc.ok(submitContract, { id: a.id })).status).toBe('pending_review');

    const b = await booking();
    await h.rpc.ok(submitContract, { id: b.id });
    const rejected = await h.rpc.ok(rejectContract, { id: b.id, reason: 'duplicate', allowResubmission: false });
    expect(rejected.review.rejection).toMatchObject({ reason: 'duplicate', allowResubmission: false });
    expect(await h.rpc.call(submitContract, { id: b.id })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
    expect(await h.rpc.call(approveContract, { id: b.id })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
    const payload = (await emitted(b.id)).find((r) => r.type === 'BOOKING_REJECTED')!.payload;
    expect(payload).toMatchObject({ bookingId: b.id, reason: 'duplicate', allowResubmission: false, rejectedBy: expect.any(String) });
  });

  it('does not activate a booking under review directly, nor approve a draft', async () => {
    const b = await booking();
    expect(await h.rpc.call(approveContract, { id: b.id })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
    await h.rpc.ok(submitContract, { id: b.id });
    expect(await h.rpc.call(activateContract, { id: b.id })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
  });

  it('approves concurrently once', async () => {
    const b = await booking();
    await h.rpc.ok(submitContract, { id: b.id });
    const results = await Promise.all([1, 2, 3].map(() => h.rpc.call(approveContract, { id: b.id })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await h.db.query(`SELECT count(*)::int AS n FROM contract_events WHERE contract_id = $1`, [b.id])).rows[0].n).toBe(26);
    expect((await emitted(b.id)).filter((r) => r.type === 'CONTRACT_ACTIVATED')).toHaveLength(1);
  });

  it('cancels an active contract: open events cancelled and listed, closed ones untouched, promises frozen', async () => {
    const b = await booking();
    const active = await h.rpc.ok(activateContract, { id: b.id });
    expect(await h.rpc.call(updateContract, { id: b.id, version: active.version, services: [] })).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE' },
    });
    const renamed = await h.rpc.ok(updateContract, { id: b.id, version: active.version, title: 'Chillers, renamed' });
    expect(renamed.title).toBe('Chillers, renamed');
    const page = await h.rpc.ok(listEvents, { contractId: b.id, type: 'billing' });
    const bill = page.items[0];
    await h.rpc.ok(recordEventPayment, { id: bill.id, amount: bill.amount!, version: bill.version });
    const cancelled = await h.rpc.ok(cancelContract, { id: b.id, reason: 'site closed' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'site closed' });
    expect(cancelled.affectedEventIds).toHaveLength(25);
    expect(cancelled.affectedEventIds).not.toContain(bill.id);
    const counts = (await h.rpc.ok(getContract, { id: b.id })).eventCounts;
    expect(counts.billing!.byStatus).toEqual({ cancelled: 3, paid: 1 });
    const payload = (await emitted(b.id)).find((r) => r.type === 'BOOKING_CANCELLED')!.payload;
    expect(payload).toMatchObject({ reason: 'site closed', affectedEventIds: cancelled.affectedEventIds, clientId: expect.any(String) });
    const changed = await h.db.query(
      `SELECT count(*)::int AS n FROM outbox WHERE type = 'CONTRACT_EVENT_STATUS_CHANGED' AND payload->>'contractId' = $1 AND payload->>'newStatus' = 'cancelled'`,
      [b.id],
    );
    expect(changed.rows[0].n).toBe(25);
    expect((await h.rpc.ok(cancelContract, { id: b.id, reason: 'again' })).affectedEventIds).toEqual([]);
    expect(await h.rpc.call(createOnDemandEvent, { id: b.id, type: 'service', scheduledDate: '2026-05-05' })).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE' },
    });
  });

  it('refuses a second contract with the same number', async () => {
    const input = referenceContract();
    await h.rpc.ok(createContract, input);
    expect(await h.rpc.call(createContract, input)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('lists contracts newest first with a cursor and a status filter', async () => {
    const tenantId = randomUUID();
    for (let i = 0; i < 3; i++) await h.rpc.ok(createContract, referenceContract(), { tenantId });
    const first = await h.rpc.ok(listContracts, { limit: 2 }, { tenantId });
    expect(first.items).toHaveLength(2);
    const second = await h.rpc.ok(listContracts, { limit: 2, cursor: first.nextCursor! }, { tenantId });
    expect(second).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    expect((await h.rpc.ok(listContracts, { status: 'active' }, { tenantId })).items).toEqual([]);
    expect(await h.rpc.call(listContracts, { cursor: 'garbage' }, { tenantId })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CURSOR', errors: { cursor: expect.any(Array) } },
    });
    // a cursor of another list (events: a date and an id, but an audit cursor is a number) is refused too
    expect(await h.rpc.call(listContracts, { cursor: Buffer.from('[42]').toString('base64url') }, { tenantId })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CURSOR' },
    });
  });

  it('searches contracts by number, title or customer name, case-insensitively and literally', async () => {
    const tenantId = randomUUID();
    const make = (contractNumber: string, title: string, customer: string) =>
      h.rpc.ok(createContract, contractInput({ contractNumber, title, customer: { name: customer } }), { tenantId });
    const a = await make('AMC-2026-001', 'Chiller care', 'Acme Foods');
    const b = await make('AMC-2026-002', 'Lift upkeep 100%', 'Birla Towers');
    const c = await make('PO-77', 'Generator service', 'ACME Logistics');
    const found = async (q: string) => (await h.rpc.ok(listContracts, { q }, { tenantId })).items.map((x) => x.id).sort();
    expect(await found('acme')).toEqual([a.id, c.id].sort());
    expect(await found('amc-2026')).toEqual([a.id, b.id].sort());
    expect(await found('UPKEEP')).toEqual([b.id]);
    expect(await found('100%')).toEqual([b.id]);
    expect(await found('%')).toEqual([b.id]);
    expect(await found('_')).toEqual([]);
    const page = await h.rpc.ok(listContracts, { q: 'acme', limit: 1 }, { tenantId });
    expect((await h.rpc.ok(listContracts, { q: 'acme', cursor: page.nextCursor! }, { tenantId })).items).toHaveLength(1);
    expect(await h.rpc.call(listContracts, { q: 'x'.repeat(101) }, { tenantId })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', errors: { q: expect.any(Array) } },
    });
  });

  it('answers malformed contract input with VALIDATION_FAILED naming the field, never an internal error', async () => {
    const { customer: _customer, ...withoutCustomer } = referenceContract();
    expect(await h.rpc.call(createContract, withoutCustomer)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', errors: { customer: expect.any(Array) } },
    });
    expect(await h.rpc.call(createContract, referenceContract({ startDate: '2026-02-30' }))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', errors: { startDate: [expect.stringContaining('exists')] } },
    });
    const b = await booking();
    expect(await h.rpc.call(updateContract, { id: b.id, version: 2147483648, title: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', errors: { version: expect.any(Array) } },
    });
    expect(await h.rpc.call(updateContract, { id: b.id, title: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', errors: { version: expect.arrayContaining([expect.stringContaining('send the version you read')]) } },
    });
    expect(await h.rpc.call(activateContract, { id: b.id, force: true })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', errors: { force: expect.any(Array) } },
    });
    expect((await h.rpc.ok(getContract, { id: b.id })).status).toBe('draft');
  });

  it('registers tenants (platform admins only) and seeds their flows once from TENANT_CREATED', async () => {
    expect(await h.rpc.call(createTenant, { name: 'Nope', timezone: 'Asia/Kolkata' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const t = await h.rpc.ok(createTenant, { name: 'Kumar Facilities', timezone: 'Asia/Kolkata', locale: 'en-IN' }, { roles: ['platform_admin'] });
    const count = async () => (await h.db.query(`SELECT count(*)::int AS n FROM status_definitions WHERE tenant_id = $1`, [t.id])).rows[0].n;
    const defaults = (await h.db.query(`SELECT count(*)::int AS n FROM status_definitions WHERE tenant_id IS NULL AND machine LIKE 'contract_event:%'`)).rows[0]
      .n;
    await eventually(async () => expect(await count()).toBe(defaults));
    const created = await h.db.query(`SELECT tenant_id, payload FROM outbox WHERE type = 'TENANT_CREATED' AND aggregate_id = $1`, [t.id]);
    expect(created.rows[0]).toMatchObject({ tenant_id: t.id, payload: { name: 'Kumar Facilities', timezone: 'Asia/Kolkata', locale: 'en-IN' } });
    expect((await h.rpc.ok(getEventStatuses, { eventType: 'billing' }, { tenantId: t.id })).isTenantOverride).toBe(false);
  });
});
