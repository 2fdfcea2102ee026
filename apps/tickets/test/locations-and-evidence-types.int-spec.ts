import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '@app/shared/context/request-context';
import { CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { AcceptOfferUseCase } from '../src/appointments/use-cases/accept-offer.use-case';
import { CheckInUseCase } from '../src/appointments/use-cases/check-in.use-case';
import { ConfirmLocationUseCase } from '../src/appointments/use-cases/confirm-location.use-case';
import { CreateAppointmentUseCase } from '../src/appointments/use-cases/create-appointment.use-case';
import { ReportLocationIssueUseCase } from '../src/appointments/use-cases/report-location-issue.use-case';
import { RecordEvidenceUseCase } from '../src/evidence/use-cases/record-evidence.use-case';
import { GetCheckInSettingsUseCase, ReplaceCheckInSettingsUseCase } from '../src/settings/use-cases/check-in-settings.use-cases';
import { GetEvidenceTypesUseCase, ReplaceEvidenceTypesUseCase, ResetEvidenceTypesUseCase } from '../src/settings/use-cases/evidence-types.use-cases';
import { CreateTicketUseCase } from '../src/tickets/use-cases/create-ticket.use-case';
import { SeededContract } from './support/seed-read-model';
import { rejection, startTicketsHarness, TicketsHarness } from './support/tickets-harness';

const SITE = { address: '12 MG Road, Bengaluru', lat: 12.9756, lng: 77.6069 };

describe('staff assignments, locations, check-in radius and evidence types of the tickets service', () => {
  let h: TicketsHarness;
  let app: INestApplication;
  let capture: CapturedEvents;
  let s: SeededContract;
  let ctx: RequestContext;

  beforeAll(async () => {
    h = await startTicketsHarness({
      captured: ['STAFF_ASSIGNMENT_CREATED', 'STAFF_ASSIGNMENT_OFFERED', 'LOCATION_CONFIRMED', 'LOCATION_ISSUE_REPORTED', 'STAFF_CHECKED_IN'],
    });
    ({ app, capture, s, ctx } = h);
  });

  afterAll(() => h?.close());

  let slot = 0;
  /** A visit of the seeded contract, offered to `tech` and accepted, in a slot of its own. */
  async function acceptedVisit(tech: string, location: Record<string, unknown> | null = SITE) {
    const day = String(10 + slot++).padStart(2, '0');
    const v = await app.get(CreateAppointmentUseCase).execute(ctx, {
      contractId: s.contractId,
      eventIds: [s.events.service[0]],
      startsAt: `2026-05-${day}T04:00:00Z`,
      endsAt: `2026-05-${day}T06:00:00Z`,
      timezone: 'Asia/Kolkata',
      location: location ?? undefined,
      notes: 'Bring the ladder',
      assignees: [{ userId: tech, name: 'Ravi Tech', role: 'technician' }],
    });
    await app.get(AcceptOfferUseCase).execute(h.techCtx(tech), { id: v.id, userId: tech });
    return v;
  }

  it('announces STAFF_ASSIGNMENT_CREATED (seed payload) when a visit is offered to a technician', async () => {
    const tech = randomUUID();
    const v = await acceptedVisit(tech);
    const created = await capture.waitFor('STAFF_ASSIGNMENT_CREATED', (e) => e.payload.appointmentId === v.id);
    expect(created.payload).toMatchObject({
      assignmentId: v.assignments[0].id,
      eventId: s.events.service[0],
      userId: tech,
      role: 'technician',
      createdBy: ctx.actor.id,
      createdAt: '2026-05-01T08:00:00.000Z',
      startTime: v.startsAt,
      endTime: v.endsAt,
      instructions: 'Bring the ladder',
    });
    expect(await capture.waitFor('STAFF_ASSIGNMENT_OFFERED', (e) => e.payload.assignmentId === created.payload.assignmentId)).toBeDefined();
  });

  it('confirms a visit’s location (LOCATION_CONFIRMED) and reports an issue with it (LOCATION_ISSUE_REPORTED)', async () => {
    const v = await acceptedVisit(randomUUID());
    const confirmed = await app.get(ConfirmLocationUseCase).execute(ctx, {
      id: v.id,
      lat: 12.9761,
      lng: 77.6071,
      contactPerson: { name: 'Gate security', phone: '+919800000000' },
      accessDetails: 'Gate 2, basement',
    });
    expect(confirmed.location).toMatchObject({
      address: SITE.address,
      lat: 12.9761,
      confirmedAt: '2026-05-01T08:00:00.000Z',
      confirmedBy: ctx.actor.id,
      contactPerson: { name: 'Gate security', phone: '+919800000000', email: null },
      accessDetails: 'Gate 2, basement',
    });
    const event = await capture.waitFor('LOCATION_CONFIRMED', (e) => e.payload.appointmentId === v.id);
    expect(event.payload).toMatchObject({
      eventId: s.events.service[0],
      locationId: v.id,
      confirmedBy: ctx.actor.id,
      confirmedAt: '2026-05-01T08:00:00.000Z',
      address: SITE.address,
      latitude: 12.9761,
      longitude: 77.6071,
      contactPerson: { name: 'Gate security', phone: '+919800000000' },
      accessDetails: 'Gate 2, basement',
    });

    const issue = await app
      .get(ReportLocationIssueUseCase)
      .execute(ctx, { id: v.id, issueType: 'access', description: 'gate locked', impactLevel: 'major', needsImmediate: true });
    const reported = await capture.waitFor('LOCATION_ISSUE_REPORTED', (e) => e.payload.issueId === issue.id);
    expect(reported.payload).toMatchObject({
      locationId: v.id,
      eventId: s.events.service[0],
      issueType: 'access',
      impactLevel: 'major',
      needsImmediate: true,
      reportedBy: ctx.actor.id,
    });
    expect(reported.payload.reason).toBeUndefined();
  });

  it('refuses lat without lng (400) and a visit without any location (422 NO_LOCATION)', async () => {
    const v = await acceptedVisit(randomUUID(), null);
    expect((await rejection(app.get(ConfirmLocationUseCase).execute(ctx, { id: v.id, lat: 12.9 }))).fieldErrors).toEqual({ lng: expect.any(Array) });
    expect((await rejection(app.get(ConfirmLocationUseCase).execute(ctx, { id: v.id }))).details).toMatchObject({ reason: 'NO_LOCATION' });
  });

  it('accepts a check-in outside the tenant’s radius but flags it and reports CHECK_IN_OUTSIDE_RADIUS; inside it is measured only', async () => {
    expect(await app.get(GetCheckInSettingsUseCase).execute(ctx, {})).toEqual({ radiusMeters: 500, isTenantOverride: false });
    const near = randomUUID();
    const nearVisit = await acceptedVisit(near);
    const inside = await app.get(CheckInUseCase).execute(h.techCtx(near), { id: nearVisit.id, lat: 12.9757, lng: 77.607, verificationMethod: 'gps' });
    expect(inside.assignments[0].checkIn).toMatchObject({ distanceMeters: 16, outsideRadius: false });

    const far = randomUUID();
    const farVisit = await acceptedVisit(far);
    const outside = await app.get(CheckInUseCase).execute(h.techCtx(far), { id: farVisit.id, lat: 12.9856, lng: 77.6069, verificationMethod: 'gps' });
    expect(outside.assignments[0]).toMatchObject({ status: 'checked_in', checkIn: { outsideRadius: true, distanceMeters: expect.any(Number) } });
    const flagged = await capture.waitFor('LOCATION_ISSUE_REPORTED', (e) => e.payload.appointmentId === farVisit.id);
    expect(flagged.payload).toMatchObject({
      reason: 'CHECK_IN_OUTSIDE_RADIUS',
      radiusMeters: 500,
      issueType: 'other',
      reportedBy: far,
      locationId: farVisit.id,
    });
    expect(flagged.payload.distanceMeters).toBeGreaterThan(1000);
    expect(await capture.waitFor('STAFF_CHECKED_IN', (e) => e.payload.appointmentId === farVisit.id)).toBeDefined();
    expect(capture.ofType('LOCATION_ISSUE_REPORTED').filter((e) => e.payload.appointmentId === nearVisit.id)).toEqual([]);

    // A tenant with a wider radius accepts the same distance without a flag.
    await app.get(ReplaceCheckInSettingsUseCase).execute(ctx, { radiusMeters: 2000 });
    const wide = randomUUID();
    const wideVisit = await acceptedVisit(wide);
    const ok = await app.get(CheckInUseCase).execute(h.techCtx(wide), { id: wideVisit.id, lat: 12.9856, lng: 77.6069, verificationMethod: 'gps' });
    expect(ok.assignments[0].checkIn).toMatchObject({ outsideRadius: false });
  });

  it('takes evidence only of the tenant’s enabled types, keeps types in use, and refuses a reset that would drop one', async () => {
    const ticket = await app.get(CreateTicketUseCase).execute(ctx, { contractId: s.contractId, eventIds: [s.events.service[2]] });
    const record = (body: Record<string, unknown>) => app.get(RecordEvidenceUseCase).execute(ctx, { id: ticket.id, ...body } as never);
    const defaults = await app.get(GetEvidenceTypesUseCase).execute(ctx, {});
    expect(defaults.isTenantOverride).toBe(false);
    expect(defaults.types.map((t) => t.code)).toEqual(['photo', 'document', 'signature', 'form_data', 'note', 'otp']);

    const unknown = await rejection(record({ type: 'meter_reading', note: '1234 kWh' }));
    expect(unknown).toMatchObject({
      code: 'BUSINESS_RULE',
      details: { reason: 'EVIDENCE_TYPE_NOT_ALLOWED', allowed: ['photo', 'document', 'signature', 'form_data', 'note', 'otp'] },
    });
    await record({ type: 'note', note: 'all good' });

    const replace = (types: Array<Record<string, unknown>>) => app.get(ReplaceEvidenceTypesUseCase).execute(ctx, { types } as never);
    const gone = await rejection(replace([{ code: 'photo', label: 'Photo' }]));
    expect(gone.details).toMatchObject({ reason: 'TYPE_IN_USE', types: ['note'] });

    const own = await replace([
      { code: 'photo', label: 'Photo' },
      { code: 'note', label: 'Note', enabled: false },
      { code: 'meter_reading', label: 'Meter reading' },
    ]);
    expect(own.isTenantOverride).toBe(true);
    expect(own.types).toContainEqual({ code: 'meter_reading', label: 'Meter reading', takesFile: false, enabled: true, isBuiltIn: false });
    const reading = await record({ type: 'meter_reading', note: '1234 kWh' });
    expect(reading.type).toBe('meter_reading');
    expect((await rejection(record({ type: 'meter_reading' }))).fieldErrors).toMatchObject({ note: expect.any(Array) });
    expect((await rejection(record({ type: 'note', note: 'x' }))).details).toMatchObject({ allowed: ['photo', 'meter_reading'] });

    expect((await rejection(app.get(ResetEvidenceTypesUseCase).execute(ctx, {}))).details).toMatchObject({ reason: 'TYPE_IN_USE', types: ['meter_reading'] });
  });
});
