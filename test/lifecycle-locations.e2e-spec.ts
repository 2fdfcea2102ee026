import { randomUUID } from 'node:crypto';
import { captureEvents, CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { apiAs } from '../apps/tickets/test/support/http-api';
import { DocumentedAnswers } from './support/documented-answers';
import { startStack, Stack } from './support/stack';

const CAPTURED = [
  'EVENT_ASSIGNED_TO_MANAGER',
  'EVENT_PREPARATION_STARTED',
  'EVENT_STARTED',
  'EVENT_COMPLETED',
  'EVENT_CANCELLED',
  'EVENT_RESCHEDULED',
  'EVENT_ISSUE_REPORTED',
  'STAFF_ASSIGNMENT_CREATED',
  'LOCATION_CONFIRMED',
  'LOCATION_ISSUE_REPORTED',
];

interface ListedEvent {
  id: string;
  version: number;
  amount: string | null;
}

interface EvidenceTypeRow {
  code: string;
  label: string;
  takesFile: boolean;
  enabled: boolean;
  isBuiltIn: boolean;
}

const ISO = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);

/**
 * Issue 14 (points 3, 4, 9) through the gateway and the broker: the seed's lifecycle events of contract events,
 * the manager assignment, the reschedule under its seed name, staff assignments, locations (confirmation,
 * issues, check-in radius), per-tenant evidence types and the cockpit's upcoming visits. Every domain event
 * is taken from the broker and its payload checked against the seed's fields (booking-events-schema §2, §4, §6).
 */
describe('event lifecycle, locations, evidence types and cockpit visits end to end', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let capture: CapturedEvents;

  beforeAll(async () => {
    env = await createTestEnvironment();
    stack = await startStack(env);
    capture = await captureEvents(env, CAPTURED);
  });

  afterAll(async () => {
    await capture?.close();
    await stack?.close();
    await env?.dispose();
  });

  it('drives each point and announces each seed event', async () => {
    const answers = new DocumentedAnswers();
    const platform = apiAs(stack.gatewayUrl, { tenantId: randomUUID(), roles: ['platform_admin'] }, answers);
    const tenant = await platform.post('/tenants', { name: 'Lifecycle Co', timezone: 'Asia/Kolkata', locale: 'en-IN' });
    expect([200, 201]).toContain(tenant.status);
    const tenantId: string = tenant.body.id;
    const admin = apiAs(stack.gatewayUrl, { tenantId, roles: ['admin'], name: 'Asha Admin' }, answers);
    const tech = apiAs(stack.gatewayUrl, { tenantId, roles: ['technician'], name: 'Ravi Tech' }, answers);
    const mine = (e: { tenantId: string }) => e.tenantId === tenantId;

    const contract = await admin.post('/contracts', {
      contractNumber: 'CN-LIFE-1',
      title: 'Chiller AMC',
      customer: { name: 'Acme Facilities', email: 'ops@acme.test', phone: '+919812345678' },
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      timezone: 'Asia/Kolkata',
      services: [{ name: 'Quarterly service', quantity: 3 }],
      billing: { mode: 'prepaid', total: '12000.00', currency: 'INR' },
    });
    expect(contract.status).toBe(201);
    const contractId: string = contract.body.id;
    expect((await admin.post(`/contracts/${contractId}/activate`, {})).status).toBe(200);
    const services = (await admin.get(`/events?contractId=${contractId}&type=service`)).body.items as ListedEvent[];
    const [visitEvent, spareEvent, cancelledEvent] = services;

    // 1. Manager assignment: the generic CONTRACT_EVENT_ASSIGNED stays, EVENT_ASSIGNED_TO_MANAGER is added.
    const manager = randomUUID();
    const people = await admin.put(`/events/${visitEvent.id}/assignees`, [{ userId: manager, name: 'Meera Manager', role: 'account_manager' }]);
    expect(people.status).toBe(200);
    const toManager = await capture.waitFor('EVENT_ASSIGNED_TO_MANAGER', (e) => mine(e) && e.payload.eventId === visitEvent.id);
    expect(toManager.payload).toMatchObject({
      eventId: visitEvent.id,
      bookingId: contractId,
      managerId: manager,
      assignedBy: admin.userId,
      assignedAt: ISO,
      eventDate: ISO,
    });

    // 1. scheduled → assigned: EVENT_PREPARATION_STARTED.
    let current = (await admin.get(`/events/${visitEvent.id}`)).body;
    const assigned = await admin.post(`/events/${visitEvent.id}/transitions`, { toStatus: 'assigned', version: current.version });
    expect(assigned.status).toBe(200);
    const prep = await capture.waitFor('EVENT_PREPARATION_STARTED', (e) => mine(e) && e.payload.eventId === visitEvent.id);
    expect(prep.payload).toMatchObject({ eventId: visitEvent.id, bookingId: contractId, startedBy: admin.userId, startedAt: ISO, preparationTasks: [] });

    // 1. EVENT_RESCHEDULED, the seed's name, with its notify flags.
    current = (await admin.get(`/events/${spareEvent.id}`)).body;
    const moved = await admin.patch(`/events/${spareEvent.id}`, {
      scheduledDate: '2026-11-30',
      reason: 'customer asked',
      notifyClient: true,
      version: current.version,
    });
    expect(moved.status).toBe(200);
    const rescheduled = await capture.waitFor('EVENT_RESCHEDULED', (e) => mine(e) && e.payload.eventId === spareEvent.id);
    expect(rescheduled.payload).toMatchObject({
      eventId: spareEvent.id,
      bookingId: contractId,
      rescheduledBy: admin.userId,
      rescheduledAt: ISO,
      originalDate: ISO,
      newDate: ISO,
      reason: 'customer asked',
      notifyStaff: true,
      notifyClient: true,
    });

    // 1. Cancelled: EVENT_CANCELLED with the reason.
    current = (await admin.get(`/events/${cancelledEvent.id}`)).body;
    expect(
      (await admin.post(`/events/${cancelledEvent.id}/transitions`, { toStatus: 'cancelled', reason: 'site sold', version: current.version })).status,
    ).toBe(200);
    const cancelled = await capture.waitFor('EVENT_CANCELLED', (e) => mine(e) && e.payload.eventId === cancelledEvent.id);
    expect(cancelled.payload).toMatchObject({ bookingId: contractId, cancelledBy: admin.userId, cancelledAt: ISO, reason: 'site sold', notifyClient: false });

    // 1. A billing event paid in full enters the done bucket: EVENT_COMPLETED.
    const billing = (await admin.get(`/events?contractId=${contractId}&type=billing`)).body.items[0];
    expect((await admin.post(`/events/${billing.id}/payments`, { amount: billing.amount, version: billing.version })).status).toBe(200);
    const completed = await capture.waitFor('EVENT_COMPLETED', (e) => mine(e) && e.payload.eventId === billing.id);
    expect(completed.payload).toMatchObject({
      bookingId: contractId,
      completedBy: expect.any(String),
      completedAt: ISO,
      actualEndTime: ISO,
      newStatus: 'paid',
    });

    // 4 + STAFF_ASSIGNMENT_CREATED: a visit with a location, offered to the technician.
    let ticket = { id: '' };
    await eventually(async () => {
      const res = await admin.post('/tickets', { contractId, eventIds: [visitEvent.id] });
      expect(res.status).toBe(201);
      ticket = res.body;
    });
    const booked = await admin.post('/appointments', {
      contractId,
      ticketId: ticket.id,
      startsAt: '2099-03-02T10:00:00+05:30',
      endsAt: '2099-03-02T12:00:00+05:30',
      timezone: 'Asia/Kolkata',
      location: { address: '12 MG Road, Bengaluru', lat: 12.9756, lng: 77.6069 },
      assignees: [{ userId: tech.userId, name: 'Ravi Tech', role: 'technician' }],
      responseDeadline: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(booked.status).toBe(201);
    const aid: string = booked.body.id;
    const staff = await capture.waitFor('STAFF_ASSIGNMENT_CREATED', (e) => mine(e) && e.payload.appointmentId === aid);
    expect(staff.payload).toMatchObject({
      assignmentId: booked.body.assignments[0].id,
      eventId: visitEvent.id,
      userId: tech.userId,
      role: 'technician',
      createdBy: admin.userId,
      createdAt: ISO,
      startTime: '2099-03-02T04:30:00.000Z',
      endTime: '2099-03-02T06:30:00.000Z',
    });
    // The cockpit lists the visit from the events service's own read model.
    await eventually(async () => {
      const cockpit = await admin.get('/cockpit');
      expect(cockpit.status).toBe(200);
      expect(cockpit.body.appointments).toEqual([
        expect.objectContaining({
          id: aid,
          contractId,
          eventIds: [visitEvent.id],
          startsAt: '2099-03-02T04:30:00.000Z',
          location: expect.objectContaining({ confirmedAt: null }),
        }),
      ]);
    });

    // 2. Location confirmed → LOCATION_CONFIRMED, and the cockpit shows it confirmed.
    const confirmed = await tech.post(`/appointments/${aid}/location/confirm`, {
      contactPerson: { name: 'Gate security', phone: '+919800000000' },
      accessDetails: 'Gate 2',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.location).toMatchObject({ address: '12 MG Road, Bengaluru', confirmedBy: tech.userId, confirmedAt: ISO });
    const locConfirmed = await capture.waitFor('LOCATION_CONFIRMED', (e) => mine(e) && e.payload.appointmentId === aid);
    expect(locConfirmed.payload).toMatchObject({
      eventId: visitEvent.id,
      locationId: aid,
      confirmedBy: tech.userId,
      confirmedAt: ISO,
      contactPerson: { name: 'Gate security', phone: '+919800000000' },
      accessDetails: 'Gate 2',
    });
    await eventually(async () => expect((await admin.get('/cockpit')).body.appointments[0].location.confirmedAt).toEqual(ISO));

    // 2. A person's location issue.
    const issue = await tech.post(`/appointments/${aid}/location/issues`, {
      issueType: 'access',
      description: 'gate locked',
      impactLevel: 'major',
      needsImmediate: true,
    });
    expect(issue.status).toBe(201);
    const reportedIssue = await capture.waitFor('LOCATION_ISSUE_REPORTED', (e) => mine(e) && e.payload.issueId === issue.body.id);
    expect(reportedIssue.payload).toMatchObject({
      eventId: visitEvent.id,
      locationId: aid,
      reportedBy: tech.userId,
      reportedAt: ISO,
      issueType: 'access',
      impactLevel: 'major',
      needsImmediate: true,
    });

    // 2. Check-in 1.1 km away with a 500 m radius: accepted, flagged, reported; the ticket in progress starts the event (EVENT_STARTED).
    expect((await admin.get('/settings/check-in')).body).toEqual({ radiusMeters: 500, isTenantOverride: false });
    expect((await tech.post(`/appointments/${aid}/assignments/${tech.userId}/accept`, {})).status).toBe(200);
    const checkedIn = await tech.post(`/appointments/${aid}/check-in`, { lat: 12.9856, lng: 77.6069, accuracy: 8, verificationMethod: 'gps' });
    expect(checkedIn.status).toBe(200);
    expect(checkedIn.body.assignments[0].checkIn).toMatchObject({ outsideRadius: true, distanceMeters: expect.any(Number) });
    const far = await capture.waitFor(
      'LOCATION_ISSUE_REPORTED',
      (e) => mine(e) && e.payload.appointmentId === aid && e.payload.reason === 'CHECK_IN_OUTSIDE_RADIUS',
    );
    expect(far.payload).toMatchObject({ locationId: aid, reportedBy: tech.userId, issueType: 'other', radiusMeters: 500, needsImmediate: false });
    expect(far.payload.distanceMeters).toBeGreaterThan(1000);
    const started = await capture.waitFor('EVENT_STARTED', (e) => mine(e) && e.payload.eventId === visitEvent.id);
    expect(started.payload).toMatchObject({ bookingId: contractId, startedAt: ISO, location: { id: aid, name: '12 MG Road, Bengaluru' } });

    // EVENT_ISSUE_REPORTED comes from a real flow: an issue reported on the visit.
    const eventIssue = await tech.post(`/appointments/${aid}/issues`, { type: 'kit', severity: 'high', description: 'ladder missing', eventId: visitEvent.id });
    expect(eventIssue.status).toBe(201);
    const issued = await capture.waitFor('EVENT_ISSUE_REPORTED', (e) => mine(e) && e.payload.appointmentId === aid);
    expect(issued.payload).toMatchObject({
      eventId: visitEvent.id,
      reportedBy: tech.userId,
      reportedAt: ISO,
      issueType: 'kit',
      severity: 'high',
      description: 'ladder missing',
    });

    // 3. Evidence types per tenant: an unknown type is 422 naming the allowed ones; the tenant's own type is taken.
    const unknown = await tech.post(`/tickets/${ticket.id}/evidence`, { type: 'meter_reading', note: '1234 kWh' });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'BUSINESS_RULE', details: { allowed: ['photo', 'document', 'signature', 'form_data', 'note', 'otp'] } });
    const types = await admin.get('/settings/evidence-types');
    const replaced = await admin.put('/settings/evidence-types', {
      types: [
        ...(types.body.types as EvidenceTypeRow[]).map(({ isBuiltIn: _b, ...t }) => (t.code === 'otp' ? { ...t, enabled: false } : t)),
        { code: 'meter_reading', label: 'Meter reading' },
      ],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.isTenantOverride).toBe(true);
    const reading = await tech.post(`/tickets/${ticket.id}/evidence`, { type: 'meter_reading', note: '1234 kWh' });
    expect(reading.status).toBe(201);
    expect(reading.body.type).toBe('meter_reading');
    expect((await tech.post(`/tickets/${ticket.id}/evidence`, { type: 'otp', otp: { channel: 'sms' } })).status).toBe(422);
    const drop = await admin.put('/settings/evidence-types', { types: [{ code: 'photo', label: 'Photo' }] });
    expect(drop.status).toBe(422);
    expect(drop.body.details).toMatchObject({ reason: 'TYPE_IN_USE', types: ['meter_reading'] });
    expect((await admin.delete('/settings/evidence-types')).status).toBe(422);
  });
});
