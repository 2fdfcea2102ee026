import { randomUUID } from 'node:crypto';
import { getEventStatuses, replaceEventStatuses, resetEventStatuses } from '@app/shared/api/events/cockpit-settings.operations';
import {
  createEventTask,
  getEvent,
  listEventAudit,
  listEventTransitions,
  listEvents,
  recordEventPayment,
  setEventAssignees,
  transitionEvent,
  updateEvent,
  updateEventTask,
} from '@app/shared/api/events/contract-events.operations';
import { activateContract, createContract, getContractSpareParts } from '@app/shared/api/events/contracts.operations';
import { eventually } from '@app/shared/testing/eventually';
import { contractInput, referenceContract } from './support/contract-factory';
import { EventsHarness, startEventsHarness } from './support/events-harness';
import { publishEvent } from './support/publish-event';

describe('contract event status rules', () => {
  let h: EventsHarness;
  let contractId: string;

  beforeAll(async () => {
    h = await startEventsHarness();
    contractId = (await h.rpc.ok(createContract, referenceContract())).id;
    await h.rpc.ok(activateContract, { id: contractId });
  });

  afterAll(async () => {
    await h?.close();
  });

  let used = 0;
  /** A fresh event of the reference contract, so each test starts from `scheduled`. */
  async function nextEvent(type: 'service' | 'spare_part' | 'billing', tenantId = h.tenantId, contract = contractId) {
    const page = await h.rpc.ok(listEvents, { contractId: contract, type, status: 'scheduled', limit: 200 }, { tenantId });
    return page.items[used++ % page.items.length];
  }
  const move = (e: { id: string; version: number }, toStatus: string, extra: Record<string, unknown> = {}, tenantId = h.tenantId) =>
    h.rpc.call(transitionEvent, { id: e.id, toStatus, version: e.version, ...extra }, { tenantId });
  /** The event a move answered, failing the test when it was refused. */
  const moved = async (...args: Parameters<typeof move>) => {
    const r = await move(...args);
    if (!r.ok) throw new Error(`the move was refused: ${r.error.code}`);
    return r.data;
  };

  it('allows a configured move, audits it with the time spent before and emits CONTRACT_EVENT_STATUS_CHANGED', async () => {
    const e = await nextEvent('service');
    const r = await move(e, 'assigned');
    expect(r).toMatchObject({ ok: true, data: { status: 'assigned', version: e.version + 1 } });
    const audit = await h.rpc.ok(listEventAudit, { id: e.id });
    expect(audit.items.at(-1)).toMatchObject({
      field: 'status',
      from: 'scheduled',
      to: 'assigned',
      source: 'user',
      actor: { type: 'user' },
      timeInPreviousStatus: expect.any(Number),
    });
    const out = await h.db.query(`SELECT payload FROM outbox WHERE type = 'CONTRACT_EVENT_STATUS_CHANGED' AND aggregate_id = $1`, [e.id]);
    expect(out.rows[0].payload).toMatchObject({
      eventId: e.id,
      contractId,
      eventType: 'service',
      taskId: e.taskId,
      previousStatus: 'scheduled',
      newStatus: 'assigned',
    });
  });

  it('refuses a move the flow does not define, for every event type, listing the allowed ones', async () => {
    for (const [type, to] of [
      ['service', 'completed'],
      ['spare_part', 'installed'],
      ['billing', 'sent'],
    ] as const) {
      const r = await move(await nextEvent(type), to);
      expect(r).toMatchObject({ ok: false, error: { code: 'TRANSITION_NOT_ALLOWED', details: { from: 'scheduled', to, allowed: expect.any(Array) } } });
    }
  });

  it('needs a reason where the transition requires one', async () => {
    const e = await nextEvent('spare_part');
    expect(await move(e, 'cancelled')).toMatchObject({ ok: false, error: { code: 'REASON_REQUIRED' } });
    expect(await move(e, 'cancelled', { reason: '   ' })).toMatchObject({ ok: false, error: { code: 'REASON_REQUIRED' } });
    expect(await move(e, 'cancelled', { reason: 'customer has spares' })).toMatchObject({ ok: true, data: { status: 'cancelled' } });
    const audit = await h.rpc.ok(listEventAudit, { id: e.id });
    expect(audit.items.at(-1)).toMatchObject({ to: 'cancelled', reason: 'customer has spares' });
  });

  it('needs evidence recorded on a ticket of that event to complete a visit', async () => {
    let e = await nextEvent('service');
    e = await moved(e, 'in_progress');
    expect(await move(e, 'completed')).toMatchObject({ ok: false, error: { code: 'EVIDENCE_REQUIRED' } });
    const unknown = randomUUID();
    // An id the tenant has no evidence of is not found (the same answer as for another tenant's).
    expect(await move(e, 'completed', { evidenceIds: [unknown] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', details: { evidenceIds: [unknown] } },
    });

    const ticketId = randomUUID();
    const onOtherEvent = randomUUID();
    const photo = randomUUID();
    const other = await nextEvent('service');
    await publishEvent(h.env, h.tenantId, 'EVIDENCE_UPLOADED', {
      evidenceId: onOtherEvent,
      ticketId,
      contractId,
      eventId: other.id,
      type: 'photo',
      status: 'uploaded',
    });
    await publishEvent(h.env, h.tenantId, 'EVIDENCE_UPLOADED', { evidenceId: photo, ticketId, contractId, eventId: e.id, type: 'photo', status: 'uploaded' });
    await eventually(async () => {
      expect(
        (await h.db.query(`SELECT count(*)::int AS n FROM event_evidence WHERE tenant_id = $1 AND ticket_id = $2`, [h.tenantId, ticketId])).rows[0].n,
      ).toBe(2);
    });
    expect(await move(e, 'completed', { evidenceIds: [onOtherEvent] })).toMatchObject({ ok: false, error: { code: 'EVIDENCE_REQUIRED' } });
    await publishEvent(h.env, h.tenantId, 'EVIDENCE_REJECTED', {
      evidenceId: photo,
      ticketId,
      contractId,
      eventId: e.id,
      type: 'photo',
      status: 'rejected',
      reason: 'blurry',
    });
    // Wait for the rejection to land: a move tried before it would still accept the photo.
    await eventually(async () => {
      expect((await h.db.query(`SELECT status FROM event_evidence WHERE tenant_id = $1 AND evidence_id = $2`, [h.tenantId, photo])).rows[0].status).toBe(
        'rejected',
      );
    });
    expect(await move(e, 'completed', { evidenceIds: [photo] })).toMatchObject({ ok: false, error: { code: 'EVIDENCE_REQUIRED' } });
    await publishEvent(h.env, h.tenantId, 'EVIDENCE_VERIFIED', { evidenceId: photo, ticketId, contractId, eventId: e.id, type: 'photo', status: 'verified' });
    await eventually(async () => expect(await move(e, 'completed', { evidenceIds: [photo] })).toMatchObject({ ok: true, data: { status: 'completed' } }));
  });

  it('blocks completion while a required sub-task is open', async () => {
    let e = await nextEvent('service');
    e = await moved(e, 'in_progress');
    const task = await h.rpc.ok(createEventTask, { id: e.id, title: 'Leak test', required: true });
    await h.rpc.ok(createEventTask, { id: e.id, title: 'Optional photo' });
    const evidenceId = randomUUID();
    await publishEvent(h.env, h.tenantId, 'EVIDENCE_UPLOADED', {
      evidenceId,
      ticketId: randomUUID(),
      contractId,
      eventId: e.id,
      type: 'photo',
      status: 'uploaded',
    });
    const current = async () => h.rpc.ok(getEvent, { id: e.id });
    await eventually(async () => {
      const r = await move(await current(), 'completed', { evidenceIds: [evidenceId] });
      expect(r).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE', details: { openTaskIds: [task.id] } } });
    });
    const transitions = await h.rpc.ok(listEventTransitions, { id: e.id });
    expect(transitions.items.find((t) => t.toStatus === 'completed')).toMatchObject({ requiresEvidence: true, requiresTasksDone: true });
    await h.rpc.ok(updateEventTask, { id: e.id, taskId: task.id, done: true });
    expect(await move(await current(), 'completed', { evidenceIds: [evidenceId] })).toMatchObject({ ok: true, data: { status: 'completed' } });
    const emitted = await h.db.query(`SELECT type FROM outbox WHERE aggregate_id = $1 AND type LIKE 'EVENT_TASK_%' ORDER BY seq`, [e.id]);
    expect(emitted.rows.map((r) => r.type)).toEqual(['EVENT_TASK_CREATED', 'EVENT_TASK_CREATED', 'EVENT_TASK_COMPLETED']);
  });

  it('refuses a stale version with a conflict', async () => {
    const e = await nextEvent('service');
    await move(e, 'assigned');
    expect(await move(e, 'in_progress')).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT', details: { expectedVersion: e.version, currentVersion: e.version + 1 } },
    });
  });

  it('says what to send when the version is missing or out of range', async () => {
    const e = await nextEvent('service');
    const sendVersion = {
      ok: false,
      error: { code: 'VALIDATION_FAILED', errors: { version: expect.arrayContaining([expect.stringContaining('send the version you read')]) } },
    };
    expect(await h.rpc.call(transitionEvent, { id: e.id, toStatus: 'assigned' })).toMatchObject(sendVersion);
    expect(await h.rpc.call(updateEvent, { id: e.id, notes: 'gate code 4711' })).toMatchObject(sendVersion);
    expect(await h.rpc.call(transitionEvent, { id: e.id, toStatus: 'assigned', version: 2147483648 })).toMatchObject(sendVersion);
    expect((await h.rpc.ok(getEvent, { id: e.id })).version).toBe(e.version);
  });

  it('replaces the people on an event with the list given, each role once per person', async () => {
    const e = await nextEvent('service');
    const ravi = randomUUID();
    const set = (assignees: unknown) => h.rpc.call(setEventAssignees, { id: e.id, assignees });
    const first = await set([
      { userId: ravi, name: 'Ravi', role: 'assignee' },
      { userId: ravi, role: 'observer' },
    ]);
    expect(first).toMatchObject({
      ok: true,
      data: {
        assignees: [
          { userId: ravi, name: 'Ravi', role: 'assignee' },
          { userId: ravi, name: null, role: 'observer' },
        ],
      },
    });
    expect(
      await set([
        { userId: ravi, role: 'assignee' },
        { userId: ravi, role: 'assignee' },
      ]),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', errors: { 'assignees.1': expect.any(Array) } } });
    expect(await set({ assignees: [] })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', errors: { assignees: expect.any(Array) } } });
    expect(await set([])).toMatchObject({ ok: true, data: { assignees: [] } });
  });

  it('takes back a flow read with GET with one transition added, flags left out being false', async () => {
    const tenantId = randomUUID();
    const flow = await h.rpc.ok(getEventStatuses, { eventType: 'service' }, { tenantId });
    expect(flow.transitions.some((t) => t.from === 'on_hold' && t.to === 'due')).toBe(false);
    const { isTenantOverride: _override, ...editable } = flow;
    const saved = await h.rpc.ok(replaceEventStatuses, { ...editable, transitions: [...flow.transitions, { from: 'on_hold', to: 'due' }] }, { tenantId });
    expect(saved.isTenantOverride).toBe(true);
    expect(saved.statuses).toEqual(flow.statuses);
    expect(saved.transitions.find((t) => t.from === 'on_hold' && t.to === 'due')).toEqual({
      from: 'on_hold',
      to: 'due',
      requiresReason: false,
      requiresEvidence: false,
      isAutomatic: false,
      requiresTasksDone: false,
    });
    expect(saved.transitions.filter((t) => t.requiresTasksDone)).toEqual(flow.transitions.filter((t) => t.requiresTasksDone));
  });

  it('sets paid / partial_payment from payments only, never by hand', async () => {
    const bill = await nextEvent('billing');
    expect(await move(bill, 'paid')).toMatchObject({ ok: false, error: { code: 'TRANSITION_NOT_ALLOWED', message: expect.stringContaining('payment') } });
    const over = await h.rpc.call(recordEventPayment, { id: bill.id, amount: '999999.00', version: bill.version });
    expect(over).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE', details: { outstanding: bill.amount } } });
    const part = await h.rpc.ok(recordEventPayment, { id: bill.id, amount: '0.03', version: bill.version });
    expect(part).toMatchObject({ status: 'partial_payment', amountSettled: '0.03' });
    const rest = (BigInt(bill.amount!.replace('.', '')) - 3n).toString();
    const paid = await h.rpc.ok(recordEventPayment, { id: bill.id, amount: `${rest.slice(0, -2)}.${rest.slice(-2)}`, version: part.version });
    expect(paid).toMatchObject({ status: 'paid', amountSettled: bill.amount });
    const svc = await nextEvent('service');
    expect(await h.rpc.call(recordEventPayment, { id: svc.id, amount: '1.00', version: svc.version })).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE' },
    });
  });

  it("validates moves against the tenant's own flow once overridden, and against the defaults after a reset", async () => {
    const tenantId = randomUUID();
    const c = await h.rpc.ok(createContract, contractInput({ spareParts: [{ partId: 'P', name: 'Pump', promisedQty: 3 }] }), { tenantId });
    await h.rpc.ok(activateContract, { id: c.id }, { tenantId });
    const custom = {
      eventType: 'spare_part',
      statuses: [
        { code: 'scheduled', label: 'Planned', order: 1, isInitial: true, isTerminal: false, category: 'upcoming' },
        { code: 'fitted', label: 'Fitted', order: 2, isInitial: false, isTerminal: true, category: 'done', color: '#10B981' },
        { code: 'dropped', label: 'Dropped', order: 3, isInitial: false, isTerminal: true, category: 'cancelled' },
      ],
      transitions: [
        { from: 'scheduled', to: 'fitted', requiresReason: false, requiresEvidence: false },
        { from: 'fitted', to: 'scheduled', requiresReason: true, requiresEvidence: false },
        { from: 'scheduled', to: 'dropped', requiresReason: true, requiresEvidence: false },
      ],
      dueLeadDays: 2,
    };
    const saved = await h.rpc.ok(replaceEventStatuses, custom, { tenantId });
    expect(saved).toMatchObject({ isTenantOverride: true, dueLeadDays: 2 });
    let e = await nextEvent('spare_part', tenantId, c.id);
    expect(await move(e, 'procurement_pending', {}, tenantId)).toMatchObject({ ok: false, error: { code: 'TRANSITION_NOT_ALLOWED' } });
    e = await moved(e, 'fitted', {}, tenantId);
    // bidirectional where configured, with its reason rule
    expect(await move(e, 'scheduled', {}, tenantId)).toMatchObject({ ok: false, error: { code: 'REASON_REQUIRED' } });
    e = await moved(e, 'scheduled', { reason: 'wrong pump' }, tenantId);
    e = await moved(e, 'fitted', {}, tenantId);
    expect((await h.rpc.ok(getContractSpareParts, { id: c.id }, { tenantId })).items[0]).toMatchObject({ completedQty: 1, remainingQty: 2 });

    // a status held by an event cannot be dropped from the flow
    const without = {
      ...custom,
      statuses: custom.statuses.filter((s) => s.code !== 'fitted'),
      transitions: custom.transitions.filter((t) => t.from !== 'fitted' && t.to !== 'fitted'),
    };
    expect(await h.rpc.call(replaceEventStatuses, without, { tenantId })).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE', details: { statusesInUse: ['fitted'] } },
    });
    // two initial statuses, a transition to nowhere
    const broken = {
      ...custom,
      statuses: custom.statuses.map((s) => ({ ...s, isInitial: true })),
      transitions: [{ from: 'scheduled', to: 'gone', requiresReason: false, requiresEvidence: false }],
    };
    const refused = await h.rpc.call(replaceEventStatuses, broken, { tenantId });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', errors: { statuses: expect.any(Array), 'transitions.0.to': expect.any(Array) } },
    });

    // the other tenant still has the defaults
    expect((await h.rpc.ok(getEventStatuses, { eventType: 'spare_part' })).isTenantOverride).toBe(false);

    // a reset that would strand the fitted pump is refused until the event is back in a shared status
    expect(await h.rpc.call(resetEventStatuses, { eventType: 'spare_part' }, { tenantId })).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE', details: { statusesInUse: ['fitted'] } },
    });
    await move(e, 'scheduled', { reason: 'recount' }, tenantId);
    const reset = await h.rpc.ok(resetEventStatuses, { eventType: 'spare_part' }, { tenantId });
    expect(reset.isTenantOverride).toBe(false);
    expect(reset.statuses.map((s) => s.code)).toContain('procurement_pending');
    const fresh = await nextEvent('spare_part', tenantId, c.id);
    expect(await move(fresh, 'procurement_pending', {}, tenantId)).toMatchObject({ ok: true, data: { status: 'procurement_pending' } });
  });

  it('follows tickets: in progress pulls lagging visits forward, completed completes them with its evidence', async () => {
    const a = await nextEvent('service');
    const b = await nextEvent('service');
    const ticketId = randomUUID();
    const evidenceId = randomUUID();
    const base = { ticketId, ticketNumber: 'TKT-2026-00007', contractId, eventIds: [a.id, b.id] };
    await publishEvent(h.env, h.tenantId, 'SERVICE_TICKET_STATUS_CHANGED', {
      ...base,
      previousStatus: 'assigned',
      newStatus: 'in_progress',
      changedAt: new Date().toISOString(),
    });
    await eventually(async () => {
      const [ea, eb] = await Promise.all([a, b].map((e) => h.rpc.ok(getEvent, { id: e.id })));
      expect([ea.status, eb.status]).toEqual(['in_progress', 'in_progress']);
    });
    await publishEvent(h.env, h.tenantId, 'SERVICE_TICKET_COMPLETED', {
      ...base,
      completedAt: new Date().toISOString(),
      evidence: [{ eventId: a.id, evidenceIds: [evidenceId] }],
    });
    await eventually(async () => expect((await h.rpc.ok(getEvent, { id: a.id })).status).toBe('completed'));
    // b had no evidence: the flow's rule holds it in progress rather than blocking the ticket
    expect((await h.rpc.ok(getEvent, { id: b.id })).status).toBe('in_progress');
    const audit = await h.rpc.ok(listEventAudit, { id: a.id });
    expect(audit.items.at(-1)).toMatchObject({ from: 'in_progress', to: 'completed', source: 'system', reason: 'Ticket TKT-2026-00007 completed' });
  });
});
