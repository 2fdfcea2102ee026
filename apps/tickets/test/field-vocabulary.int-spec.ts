import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FileStore } from '@app/shared/storage/file-store';
import { RequestContext } from '@app/shared/context/request-context';
import { ErrorCode } from '@app/shared/errors/domain-error';
import { CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { FixedClock } from '@app/shared/time/clock';
import { AcceptOfferUseCase } from '../src/appointments/use-cases/accept-offer.use-case';
import { CheckInUseCase } from '../src/appointments/use-cases/check-in.use-case';
import { CheckOutUseCase } from '../src/appointments/use-cases/check-out.use-case';
import { CreateAppointmentUseCase } from '../src/appointments/use-cases/create-appointment.use-case';
import { OfferAssignmentUseCase } from '../src/appointments/use-cases/offer-assignment.use-case';
import { DeclineOfferUseCase } from '../src/appointments/use-cases/decline-offer.use-case';
import { ListEvidenceUseCase } from '../src/evidence/use-cases/list-evidence.use-case';
import { RecordEvidenceUseCase } from '../src/evidence/use-cases/record-evidence.use-case';
import { ListAppointmentIssuesUseCase } from '../src/issues/use-cases/list-appointment-issues.use-case';
import { ListTicketIssuesUseCase } from '../src/issues/use-cases/list-ticket-issues.use-case';
import { ReportAppointmentIssueUseCase } from '../src/issues/use-cases/report-appointment-issue.use-case';
import { ReportTicketIssueUseCase } from '../src/issues/use-cases/report-ticket-issue.use-case';
import { CreateTicketUseCase } from '../src/tickets/use-cases/create-ticket.use-case';
import { ListTicketsUseCase } from '../src/tickets/use-cases/list-tickets.use-case';
import { SeededContract } from './support/seed-read-model';
import { rejection, startTicketsHarness, TicketsHarness } from './support/tickets-harness';

const PDF = Buffer.from('%PDF-1.4 not a photo');

describe('the field vocabulary and the evidence rules of the tickets service', () => {
  let h: TicketsHarness;
  let app: INestApplication;
  let clock: FixedClock;
  let capture: CapturedEvents;
  let s: SeededContract;
  let ctx: RequestContext;
  const techCtx = (userId: string) => h.techCtx(userId);

  beforeAll(async () => {
    h = await startTicketsHarness({ captured: ['STAFF_ASSIGNMENT_REJECTED', 'STAFF_CHECKED_IN', 'STAFF_CHECKED_OUT', 'EVENT_ISSUE_REPORTED'] });
    ({ app, clock, capture, s, ctx } = h);
  });

  afterAll(() => h?.close());

  const book = (userIds: string[], day: string) =>
    app.get(CreateAppointmentUseCase).execute(ctx, {
      contractId: s.contractId,
      eventIds: [s.events.service[0]],
      startsAt: `${day}T04:00:00Z`,
      endsAt: `${day}T06:00:00Z`,
      timezone: 'Asia/Kolkata',
      assignees: userIds.map((userId) => ({ userId })),
    });

  /** A file as the gateway hands it over: stored in the shared file store, then referenced. */
  const fileOf = async (bytes: Buffer, contentType: string) => {
    const stored = await app.get(FileStore).put(ctx.tenantId, [bytes], { maxBytes: 1024 * 1024 });
    return { storageKey: stored.key, fileName: 'x', contentType, size: stored.size, sha256: stored.sha256 };
  };

  it('refuses a file its evidence type does not accept with 415, before recording anything', async () => {
    const ticket = await app.get(CreateTicketUseCase).execute(ctx, { contractId: s.contractId, eventIds: [s.events.service[1]] });
    const refused = await rejection(app.get(RecordEvidenceUseCase).execute(ctx, { id: ticket.id, type: 'photo', file: await fileOf(PDF, 'application/pdf') }));
    expect(refused.code).toBe(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    expect(refused.details).toMatchObject({ allowed: expect.arrayContaining(['image/png']) });
    // The same bytes are a document.
    const document = await app.get(RecordEvidenceUseCase).execute(ctx, { id: ticket.id, type: 'document', file: await fileOf(PDF, 'application/pdf') });
    expect(document.file).toMatchObject({ contentType: 'application/pdf', size: PDF.length });
    const listed = await app.get(ListEvidenceUseCase).execute(ctx, { id: ticket.id });
    expect(listed.items.map((e) => e.id)).toEqual([document.id]);
  });

  it('records a file only when the stored object is the tenant’s and matches its reference', async () => {
    const ticket = await app.get(CreateTicketUseCase).execute(ctx, { contractId: s.contractId, eventIds: [s.events.service[0]] });
    const record = (file: Awaited<ReturnType<typeof fileOf>>) => app.get(RecordEvidenceUseCase).execute(ctx, { id: ticket.id, type: 'document', file });
    const stored = await fileOf(PDF, 'application/pdf');
    expect(await rejection(record({ ...stored, sha256: 'a'.repeat(64) }))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    expect(await rejection(record({ ...stored, size: stored.size + 1 }))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    const gone = await fileOf(PDF, 'application/pdf');
    await app.get(FileStore).delete(gone.storageKey);
    expect(await rejection(record(gone))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    const otherTenants = await app.get(FileStore).put(randomUUID(), [PDF], { maxBytes: 1024 });
    expect(await rejection(record({ ...stored, storageKey: otherTenants.key }))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    await expect(record(stored)).resolves.toMatchObject({ file: { size: PDF.length, sha256: stored.sha256 } });
  });

  it('pages evidence oldest first and refuses a cursor it did not give out', async () => {
    const ticket = await app.get(CreateTicketUseCase).execute(ctx, { contractId: s.contractId, eventIds: [s.events.service[2]] });
    const record = app.get(RecordEvidenceUseCase);
    const notes = [];
    for (const note of ['one', 'two', 'three']) {
      clock.advance(1000);
      notes.push((await record.execute(ctx, { id: ticket.id, type: 'note', note })).id);
    }
    const list = app.get(ListEvidenceUseCase);
    const first = await list.execute(ctx, { id: ticket.id, limit: 2 });
    const second = await list.execute(ctx, { id: ticket.id, limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((e) => e.id)).toEqual(notes);
    expect(second.nextCursor).toBeNull();
    expect((await rejection(list.execute(ctx, { id: ticket.id, cursor: 'bm90LWEtY3Vyc29y' }))).code).toBe(ErrorCode.INVALID_CURSOR);
  });

  it('gives assignees of tickets and of offers the same default role', async () => {
    const ticket = await app
      .get(CreateTicketUseCase)
      .execute(ctx, { contractId: s.contractId, eventIds: [s.events.service[3]], assignees: [{ userId: randomUUID() }] });
    expect(ticket.assignees).toEqual([{ userId: expect.any(String), name: null, role: 'technician' }]);
    clock.set('2026-05-02T08:00:00Z');
    const visit = await book([], '2026-05-20');
    const offered = await app.get(OfferAssignmentUseCase).execute(ctx, { id: visit.id, userId: randomUUID(), name: 'Meena' });
    expect(offered.assignments[0]).toMatchObject({ name: 'Meena', role: 'technician', status: 'offered' });
  });

  it('records a decline with isAvailableForFuture, as the seed names it', async () => {
    clock.set('2026-05-03T08:00:00Z');
    const tech = randomUUID();
    const visit = await book([tech], '2026-05-21');
    const declined = await app.get(DeclineOfferUseCase).execute(techCtx(tech), { id: visit.id, userId: tech, reason: 'on leave', isAvailableForFuture: false });
    expect(declined.assignments[0]).toMatchObject({ status: 'declined', declineReason: 'on leave', isAvailableForFuture: false });
    const event = await capture.waitFor('STAFF_ASSIGNMENT_REJECTED', (e) => e.payload.appointmentId === visit.id);
    expect(event.payload).toMatchObject({ reason: 'on leave', isAvailableForFuture: false });
  });

  it('takes where and how on check-in and on check-out alike, accuracy when known', async () => {
    clock.set('2026-05-04T08:00:00Z');
    const tech = randomUUID();
    const visit = await book([tech], '2026-05-22');
    await app.get(AcceptOfferUseCase).execute(techCtx(tech), { id: visit.id, userId: tech });
    clock.set('2026-05-22T04:05:00Z');
    const inside = await app.get(CheckInUseCase).execute(techCtx(tech), { id: visit.id, lat: 12.97, lng: 77.59, verificationMethod: 'qrcode' });
    expect(inside.assignments[0]).toMatchObject({
      status: 'checked_in',
      checkIn: { lat: 12.97, lng: 77.59, accuracy: null, verificationMethod: 'qrcode' },
      checkOut: null,
    });
    clock.set('2026-05-22T05:35:00Z');
    const out = await app.get(CheckOutUseCase).execute(techCtx(tech), { id: visit.id, lat: 12.971, lng: 77.591, accuracy: 12, verificationMethod: 'manager' });
    expect(out.assignments[0]).toMatchObject({
      status: 'checked_out',
      hoursWorked: 1.5,
      checkOut: { lat: 12.971, lng: 77.591, accuracy: 12, verificationMethod: 'manager' },
    });
    const checkedIn = await capture.waitFor('STAFF_CHECKED_IN', (e) => e.payload.appointmentId === visit.id);
    expect(checkedIn.payload).toMatchObject({ location: { latitude: 12.97, longitude: 77.59 }, verificationMethod: 'qrcode' });
    expect(checkedIn.payload.location).not.toHaveProperty('accuracy');
    const checkedOut = await capture.waitFor('STAFF_CHECKED_OUT', (e) => e.payload.appointmentId === visit.id);
    expect(checkedOut.payload).toMatchObject({ location: { latitude: 12.971, longitude: 77.591, accuracy: 12 }, hoursWorked: 1.5 });
  });

  it('refuses to check out before checking in', async () => {
    clock.set('2026-05-05T08:00:00Z');
    const tech = randomUUID();
    const visit = await book([tech], '2026-05-23');
    await app.get(AcceptOfferUseCase).execute(techCtx(tech), { id: visit.id, userId: tech });
    const early = await rejection(app.get(CheckOutUseCase).execute(techCtx(tech), { id: visit.id, lat: 1, lng: 1, verificationMethod: 'gps' }));
    expect(early.code).toBe(ErrorCode.TRANSITION_NOT_ALLOWED);
    expect(early.details).toMatchObject({ from: 'accepted', step: 'check out' });
  });

  it('records immediateActionTaken on issues, pages them newest first, and lists a visit’s issues on its ticket', async () => {
    clock.set('2026-05-06T08:00:00Z');
    const ticket = (await app.get(ListTicketsUseCase).execute(ctx, { contractId: s.contractId, limit: 200 })).items.find((t) =>
      t.eventIds.includes(s.events.service[3]),
    )!;
    const visit = await app
      .get(CreateAppointmentUseCase)
      .execute(ctx, { contractId: s.contractId, ticketId: ticket.id, startsAt: '2026-05-24T04:00:00Z', endsAt: '2026-05-24T05:00:00Z', timezone: 'UTC' });
    const onTicket = await app
      .get(ReportTicketIssueUseCase)
      .execute(ctx, { id: ticket.id, type: 'kit', severity: 'high', description: 'compressor leaks', immediateActionTaken: 'valve closed' });
    expect(onTicket).toMatchObject({ ticketId: ticket.id, appointmentId: null, immediateActionTaken: 'valve closed' });
    const event = await capture.waitFor('EVENT_ISSUE_REPORTED', (e) => e.payload.issueId === onTicket.id);
    expect(event.payload).toMatchObject({ issueType: 'kit', immediateActionTaken: 'valve closed' });
    clock.advance(1000);
    const onVisit = await app.get(ReportAppointmentIssueUseCase).execute(ctx, { id: visit.id, type: 'venue', severity: 'low', description: 'gate locked' });
    expect(onVisit).toMatchObject({ ticketId: ticket.id, appointmentId: visit.id, immediateActionTaken: null });

    const ticketIssues = app.get(ListTicketIssuesUseCase);
    const first = await ticketIssues.execute(ctx, { id: ticket.id, limit: 1 });
    const second = await ticketIssues.execute(ctx, { id: ticket.id, limit: 1, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual([onVisit.id, onTicket.id]);
    expect(second.nextCursor).toBeNull();
    expect((await app.get(ListAppointmentIssuesUseCase).execute(ctx, { id: visit.id })).items.map((i) => i.id)).toEqual([onVisit.id]);
  });
});
