import { randomUUID } from 'node:crypto';
import { getCockpit, replaceEventStatuses } from '@app/shared/api/events/cockpit-settings.operations';
import { createEventTask, getEvent, listEvents, setEventAssignees, transitionEvent, updateEvent } from '@app/shared/api/events/contract-events.operations';
import { activateContract, createContract } from '@app/shared/api/events/contracts.operations';
import { eventually } from '@app/shared/testing/eventually';
import { referenceContract } from './support/contract-factory';
import { EventsHarness, startEventsHarness } from './support/events-harness';
import { publishEvent } from './support/publish-event';

/**
 * The seed's lifecycle events of a contract event (beside the generic ones), EVENT_ASSIGNED_TO_MANAGER,
 * EVENT_RESCHEDULED, and the appointment read model fed by the tickets service's events (cockpit visits).
 */
describe('contract event lifecycle and visits', () => {
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
  async function nextEvent(tenantId = h.tenantId, contract = contractId) {
    const page = await h.rpc.ok(listEvents, { contractId: contract, type: 'service', status: 'scheduled', limit: 200 }, { tenantId });
    return page.items[used++ % page.items.length];
  }
  const version = async (id: string, tenantId = h.tenantId) => (await h.rpc.ok(getEvent, { id }, { tenantId })).version;
  const outbox = async (type: string, aggregateId: string) =>
    (await h.db.query(`SELECT payload FROM outbox WHERE type = $1 AND aggregate_id = $2 ORDER BY id`, [type, aggregateId])).rows.map((r) => r.payload);

  /** A visit of `eventIds` as the tickets service announces it. */
  async function visit(eventIds: string[], over: Record<string, unknown> = {}, tenantId = h.tenantId) {
    const appointmentId = randomUUID();
    await publishEvent(h.env, tenantId, 'APPOINTMENT_CREATED', {
      appointmentId,
      contractId,
      eventIds,
      startAt: '2099-03-02T04:30:00.000Z',
      endAt: '2099-03-02T06:30:00.000Z',
      timezone: 'Asia/Kolkata',
      assigneeIds: [randomUUID()],
      status: 'created',
      location: { address: '12 MG Road, Bengaluru', lat: 12.9756, lng: 77.6069 },
      ...over,
    });
    return appointmentId;
  }
  const cockpitVisits = async (tenantId = h.tenantId) => (await h.rpc.ok(getCockpit, {}, { tenantId })).appointments;

  it('emits EVENT_PREPARATION_STARTED with the open sub-tasks, then EVENT_STARTED naming the visit’s location, beside CONTRACT_EVENT_STATUS_CHANGED', async () => {
    const e = await nextEvent();
    const task = await h.rpc.ok(createEventTask, { id: e.id, title: 'Order filters', dueDate: '2026-02-20' });
    const appointmentId = await visit([e.id]);
    await eventually(async () => expect((await cockpitVisits()).map((v) => v.id)).toContain(appointmentId));

    const assigned = await h.rpc.ok(transitionEvent, { id: e.id, toStatus: 'assigned', version: await version(e.id) });
    const [prep] = await outbox('EVENT_PREPARATION_STARTED', e.id);
    expect(prep).toMatchObject({
      eventId: e.id,
      bookingId: contractId,
      previousStatus: 'scheduled',
      newStatus: 'assigned',
      startedBy: '11111111-1111-4111-8111-111111111111',
      startedAt: expect.any(String),
      preparationTasks: [{ id: task.id, description: 'Order filters', dueDate: '2026-02-20' }],
    });

    await h.rpc.ok(transitionEvent, { id: e.id, toStatus: 'in_progress', version: assigned.version });
    const [started] = await outbox('EVENT_STARTED', e.id);
    expect(started).toMatchObject({
      eventId: e.id,
      bookingId: contractId,
      startedBy: '11111111-1111-4111-8111-111111111111',
      location: { id: appointmentId, name: '12 MG Road, Bengaluru', address: '12 MG Road, Bengaluru' },
    });
    expect(await outbox('CONTRACT_EVENT_STATUS_CHANGED', e.id)).toHaveLength(2);
  });

  it('names the next open visit on EVENT_STARTED (a closed earlier one skipped, coordinates when it has no address), and none without one', async () => {
    const e = await nextEvent();
    await visit([e.id], { status: 'completed', startAt: '2099-01-02T04:30:00.000Z', endAt: '2099-01-02T06:30:00.000Z' });
    const open = await visit([e.id], { location: { lat: 12.5, lng: 77.25 } });
    const bare = await nextEvent();
    await eventually(async () => expect((await cockpitVisits()).map((v) => v.id)).toContain(open));

    for (const { id } of [e, bare]) {
      const assigned = await h.rpc.ok(transitionEvent, { id, toStatus: 'assigned', version: await version(id) });
      await h.rpc.ok(transitionEvent, { id, toStatus: 'in_progress', version: assigned.version });
    }
    const [started] = await outbox('EVENT_STARTED', e.id);
    expect(started.location).toEqual({ id: open, name: '12.5,77.25' });
    const [startedBare] = await outbox('EVENT_STARTED', bare.id);
    expect(startedBare).toMatchObject({ eventId: bare.id });
    expect(startedBare.location).toBeUndefined();
  });

  it('emits EVENT_CANCELLED with the reason when an event is cancelled', async () => {
    const e = await nextEvent();
    await h.rpc.ok(transitionEvent, { id: e.id, toStatus: 'cancelled', reason: 'site closed', version: e.version });
    expect(await outbox('EVENT_CANCELLED', e.id)).toEqual([
      expect.objectContaining({ eventId: e.id, bookingId: contractId, reason: 'site closed', cancelledBy: expect.any(String), notifyClient: false }),
    ]);
  });

  it('follows a tenant’s own flow by bucket: its ready status emits EVENT_READY with the venue confirmed by LOCATION_CONFIRMED', async () => {
    const tenantId = randomUUID();
    const own = (await h.rpc.ok(createContract, referenceContract(), { tenantId })).id;
    await h.rpc.ok(activateContract, { id: own }, { tenantId });
    await h.rpc.ok(
      replaceEventStatuses,
      {
        eventType: 'service',
        statuses: [
          { code: 'scheduled', label: 'Scheduled', order: 1, isInitial: true, category: 'upcoming' },
          { code: 'due', label: 'Due', order: 2, category: 'due' },
          { code: 'staffing', label: 'Staffing', order: 3, category: 'upcoming' },
          { code: 'ready', label: 'Ready', order: 4, category: 'upcoming' },
          { code: 'live', label: 'Live', order: 5, category: 'in_progress' },
          { code: 'wrapped', label: 'Wrapped', order: 6, isTerminal: true, category: 'done' },
          { code: 'overdue', label: 'Overdue', order: 7, category: 'overdue' },
        ],
        transitions: [
          { from: 'scheduled', to: 'staffing' },
          { from: 'staffing', to: 'ready' },
          { from: 'ready', to: 'live' },
          { from: 'live', to: 'wrapped' },
          { from: 'scheduled', to: 'due', isAutomatic: true },
          { from: 'scheduled', to: 'overdue', isAutomatic: true },
        ],
      },
      { tenantId },
    );
    const e = await nextEvent(tenantId, own);
    await h.rpc.ok(setEventAssignees, { id: e.id, assignees: [{ userId: randomUUID(), role: 'assignee' }] }, { tenantId });
    const appointmentId = await visit([e.id], { contractId: own }, tenantId);
    await publishEvent(h.env, tenantId, 'LOCATION_CONFIRMED', {
      eventId: e.id,
      eventIds: [e.id],
      locationId: appointmentId,
      appointmentId,
      contractId: own,
      confirmedBy: randomUUID(),
      confirmedAt: new Date().toISOString(),
      address: '12 MG Road, Bengaluru (gate 2)',
    });
    await eventually(async () => expect((await cockpitVisits(tenantId))[0]?.location?.confirmedAt).toEqual(expect.any(String)));
    expect((await cockpitVisits(tenantId))[0].location).toMatchObject({ address: '12 MG Road, Bengaluru (gate 2)', lat: 12.9756 });

    let v = await h.rpc.ok(transitionEvent, { id: e.id, toStatus: 'staffing', version: await version(e.id, tenantId) }, { tenantId });
    v = await h.rpc.ok(transitionEvent, { id: e.id, toStatus: 'ready', version: v.version }, { tenantId });
    v = await h.rpc.ok(transitionEvent, { id: e.id, toStatus: 'live', version: v.version }, { tenantId });
    await h.rpc.ok(transitionEvent, { id: e.id, toStatus: 'wrapped', version: v.version }, { tenantId });
    expect(await outbox('EVENT_PREPARATION_STARTED', e.id)).toHaveLength(1);
    expect(await outbox('EVENT_READY', e.id)).toEqual([expect.objectContaining({ newStatus: 'ready', staffAssigned: true, venueConfirmed: true })]);
    expect(await outbox('EVENT_STARTED', e.id)).toHaveLength(1);
    const [done] = await outbox('EVENT_COMPLETED', e.id);
    expect(done).toMatchObject({ previousStatus: 'live', newStatus: 'wrapped', actualStartTime: expect.any(String), actualEndTime: done.completedAt });
  });

  it('emits EVENT_ASSIGNED_TO_MANAGER once per account manager added, with the event date and the visit location', async () => {
    const e = await nextEvent();
    const appointmentId = await visit([e.id]);
    await eventually(async () => expect((await cockpitVisits()).map((v) => v.id)).toContain(appointmentId));
    const manager = randomUUID();
    const people = [
      { userId: manager, name: 'Meera Manager', role: 'account_manager' as const },
      { userId: randomUUID(), role: 'assignee' as const },
    ];
    await h.rpc.ok(setEventAssignees, { id: e.id, assignees: people });
    await h.rpc.ok(setEventAssignees, { id: e.id, assignees: [people[0]] });
    const sent = await outbox('EVENT_ASSIGNED_TO_MANAGER', e.id);
    expect(sent).toEqual([
      expect.objectContaining({
        eventId: e.id,
        bookingId: contractId,
        managerId: manager,
        managerName: 'Meera Manager',
        assignedBy: '11111111-1111-4111-8111-111111111111',
        eventDate: new Date(e.scheduledDate).toISOString(),
        location: { id: appointmentId, name: '12 MG Road, Bengaluru', address: '12 MG Road, Bengaluru' },
      }),
    ]);
    expect(await outbox('CONTRACT_EVENT_ASSIGNED', e.id)).toHaveLength(2);
  });

  it('emits EVENT_RESCHEDULED (the seed name) with CONTRACT_EVENT_RESCHEDULED, both with the notify flags', async () => {
    const e = await nextEvent();
    await h.rpc.ok(updateEvent, {
      id: e.id,
      scheduledDate: '2026-12-30',
      reason: 'customer asked',
      notifyClient: true,
      notifyStaff: false,
      version: e.version,
    });
    const [generic] = await outbox('CONTRACT_EVENT_RESCHEDULED', e.id);
    const [seed] = await outbox('EVENT_RESCHEDULED', e.id);
    expect(generic).toMatchObject({ notifyClient: true, notifyStaff: false, reason: 'customer asked' });
    expect(seed).toMatchObject({
      eventId: e.id,
      bookingId: contractId,
      rescheduledBy: '11111111-1111-4111-8111-111111111111',
      originalDate: generic.originalDate,
      previousDate: generic.previousDate,
      newDate: generic.newDate,
      reason: 'customer asked',
      notifyClient: true,
      notifyStaff: false,
    });
  });

  it('lists the next open visits in the cockpit from the tickets service’s events, applying a message that overtook the creation once it is known', async () => {
    const tenantId = randomUUID();
    const early = randomUUID();
    const later = randomUUID();
    const bookedAt = new Date(Date.now() - 60_000).toISOString();
    // The reschedule arrives first: it is retried until the creation is known.
    await publishEvent(h.env, tenantId, 'APPOINTMENT_RESCHEDULED', {
      appointmentId: early,
      contractId,
      previousStartAt: '2099-05-01T04:30:00.000Z',
      previousEndAt: '2099-05-01T06:30:00.000Z',
      newStartAt: '2099-04-01T04:30:00.000Z',
      newEndAt: '2099-04-01T06:30:00.000Z',
      timezone: 'Asia/Kolkata',
      reason: 'customer asked',
      rescheduledAt: new Date().toISOString(),
    });
    await visit([], { appointmentId: later, startAt: '2099-06-01T04:30:00.000Z', endAt: '2099-06-01T06:30:00.000Z' }, tenantId);
    await new Promise((r) => setTimeout(r, 50));
    const created = { appointmentId: early, startAt: '2099-05-01T04:30:00.000Z', endAt: '2099-05-01T06:30:00.000Z', location: undefined };
    await publishEvent(h.env, tenantId, 'APPOINTMENT_CREATED', {
      contractId,
      eventIds: [],
      timezone: 'Asia/Kolkata',
      assigneeIds: [],
      status: 'created',
      ...created,
      occurredAt: bookedAt,
    });
    const past = randomUUID();
    await visit([], { appointmentId: past, startAt: '2020-01-01T04:30:00.000Z', endAt: '2020-01-01T06:30:00.000Z' }, tenantId);
    await eventually(
      async () => {
        const visits = await cockpitVisits(tenantId);
        expect(visits.map((v) => [v.id, v.startsAt])).toEqual([
          [early, '2099-04-01T04:30:00.000Z'],
          [later, '2099-06-01T04:30:00.000Z'],
        ]);
        expect(visits[0].location).toBeNull();
        expect(visits[1]).toMatchObject({ status: 'created', timezone: 'Asia/Kolkata', location: { address: '12 MG Road, Bengaluru', confirmedAt: null } });
      },
      { timeoutMs: 30_000 },
    );
    await publishEvent(h.env, tenantId, 'APPOINTMENT_CANCELED', { appointmentId: later, contractId, canceledAt: new Date().toISOString() });
    await eventually(async () => expect((await cockpitVisits(tenantId)).map((v) => v.id)).toEqual([early]));
  });
});
