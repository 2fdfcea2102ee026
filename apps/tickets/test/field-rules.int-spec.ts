import { JtdRequestedPayload } from '@app/shared/catalog/jtd.catalog';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { publishRaw, testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { eventually } from '@app/shared/testing/eventually';
import { openSealed } from '@app/shared/testing/sealed-values';
import { TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { CreateAppointmentUseCase } from '../src/appointments/use-cases/create-appointment.use-case';
import { AcceptOfferUseCase } from '../src/appointments/use-cases/accept-offer.use-case';
import { TransitionAppointmentUseCase } from '../src/appointments/use-cases/transition-appointment.use-case';
import { RecordEvidenceUseCase } from '../src/evidence/use-cases/record-evidence.use-case';
import { VerifyOtpUseCase } from '../src/evidence/use-cases/verify-otp.use-case';
import { GetStatusFlowUseCase } from '../src/settings/use-cases/get-status-flow.use-case';
import { ReplaceStatusFlowUseCase } from '../src/settings/use-cases/replace-status-flow.use-case';
import { ResetStatusFlowUseCase } from '../src/settings/use-cases/reset-status-flow.use-case';
import { CreateTicketUseCase } from '../src/tickets/use-cases/create-ticket.use-case';
import { TransitionTicketUseCase } from '../src/tickets/use-cases/transition-ticket.use-case';
import { seedContract, SeededContract } from './support/seed-read-model';
import { rejection, startTicketsHarness, TicketsHarness } from './support/tickets-harness';

describe('time-driven and ordering rules of the tickets service', () => {
  let h: TicketsHarness;
  let env: TestEnvironment;
  let app: INestApplication;
  let clock: FixedClock;
  let db: DataSource;
  let capture: CapturedEvents;
  let s: SeededContract;
  let ctx: RequestContext;
  const techCtx = (userId: string) => h.techCtx(userId);

  beforeAll(async () => {
    h = await startTicketsHarness({
      captured: ['APPOINTMENT_CANCELED', 'APPOINTMENT_NO_SHOW', 'APPOINTMENT_CONFIRMED', 'JTD_REQUESTED'],
      env: { OTP_TTL_SECONDS: '60' },
    });
    ({ env, app, clock, db, capture, s, ctx } = h);
  });

  afterAll(() => h?.close());

  const book = (userId: string, startsAt: string, endsAt: string, responseDeadline?: string) =>
    app.get(CreateAppointmentUseCase).execute(ctx, {
      contractId: s.contractId,
      eventIds: [s.events.service[0]],
      startsAt,
      endsAt,
      timezone: 'Asia/Kolkata',
      assignees: [{ userId }],
      responseDeadline,
    });

  it('refuses to accept an offer after its deadline, and an expired offer no longer holds the slot', async () => {
    const tech = randomUUID();
    const first = await book(tech, '2026-05-03T04:00:00Z', '2026-05-03T06:00:00Z', '2026-05-01T09:00:00Z');
    clock.set('2026-05-01T09:00:01Z');
    const late = await rejection(app.get(AcceptOfferUseCase).execute(techCtx(tech), { id: first.id, userId: tech }));
    expect(late.details).toMatchObject({ reason: 'OFFER_EXPIRED' });
    const [row] = await db.query(`SELECT status FROM staff_assignments WHERE appointment_id = $1`, [first.id]);
    expect(row.status).toBe('expired');
    const second = await book(tech, '2026-05-03T05:00:00Z', '2026-05-03T07:00:00Z');
    expect(second.assignments[0].status).toBe('offered');
  });

  it('expires an OTP after its time to live', async () => {
    clock.set('2026-05-01T10:00:00Z');
    const ticket = await app.get(CreateTicketUseCase).execute(ctx, { contractId: s.contractId, eventIds: [s.events.service[1]] });
    const otp = await app.get(RecordEvidenceUseCase).execute(ctx, { id: ticket.id, type: 'otp', otp: { channel: 'sms' } });
    const jtd = await capture.waitFor<JtdRequestedPayload>('JTD_REQUESTED', (e) => e.payload.sourceId === otp.id);
    clock.advance(61_000);
    const expired = await rejection(
      app.get(VerifyOtpUseCase).execute(ctx, { id: ticket.id, evidenceId: otp.id, code: openSealed(jtd.payload.variables.otp, jtd.tenantId) }),
    );
    expect(expired.details).toMatchObject({ reason: 'OTP_EXPIRED' });
  });

  it('confirms with a message to the customer, records no-shows and cancellations as events', async () => {
    clock.set('2026-05-01T11:00:00Z');
    const confirmed = await book(randomUUID(), '2026-05-10T04:00:00Z', '2026-05-10T05:00:00Z');
    await app.get(TransitionAppointmentUseCase).execute(ctx, { id: confirmed.id, toStatus: 'confirmed' });
    await capture.waitFor('APPOINTMENT_CONFIRMED', (e) => e.payload.appointmentId === confirmed.id);
    const message = await capture.waitFor<JtdRequestedPayload>('JTD_REQUESTED', (e) => e.payload.sourceId === confirmed.id);
    expect(message.payload).toMatchObject({ eventType: 'appointment', sourceType: 'appointment_created', recipient: { name: 'Acme Facilities' } });
    await app.get(TransitionAppointmentUseCase).execute(ctx, { id: confirmed.id, toStatus: 'no_show', party: 'customer', reason: 'nobody home' });
    const noShow = await capture.waitFor('APPOINTMENT_NO_SHOW', (e) => e.payload.appointmentId === confirmed.id);
    expect(noShow.payload).toMatchObject({ party: 'customer' });

    const tech = randomUUID();
    const cancelled = await book(tech, '2026-05-11T04:00:00Z', '2026-05-11T05:00:00Z');
    const needsReason = await rejection(app.get(TransitionAppointmentUseCase).execute(ctx, { id: cancelled.id, toStatus: 'cancelled' }));
    expect(needsReason.code).toBe('REASON_REQUIRED');
    const after = await app.get(TransitionAppointmentUseCase).execute(ctx, { id: cancelled.id, toStatus: 'cancelled', reason: 'contract paused' });
    expect(after.assignments[0].status).toBe('withdrawn');
    await capture.waitFor('APPOINTMENT_CANCELED', (e) => e.payload.appointmentId === cancelled.id && e.payload.reason === 'contract paused');
    // The withdrawn offer frees the technician's slot.
    expect((await book(tech, '2026-05-11T04:00:00Z', '2026-05-11T05:00:00Z')).assignments[0].status).toBe('offered');
  });

  it('reopens a completed ticket only while no other open ticket holds its events', async () => {
    const transition = app.get(TransitionTicketUseCase);
    const create = app.get(CreateTicketUseCase);
    const t = await create.execute(ctx, { contractId: s.contractId, eventIds: [s.events.service[2]] });
    await transition.execute(ctx, { id: t.id, toStatus: 'in_progress', version: 1 });
    const done = await transition.execute(ctx, { id: t.id, toStatus: 'completed', version: 2 });
    expect(done.completedAt).toEqual(expect.any(String));
    const other = await create.execute(ctx, { contractId: s.contractId, eventIds: [s.events.service[2]] });
    const blocked = await rejection(transition.execute(ctx, { id: t.id, toStatus: 'reopened', reason: 'leak again', version: 3 }));
    expect(blocked.details).toMatchObject({ reason: 'ALREADY_ON_OPEN_TICKET' });
    await transition.execute(ctx, { id: other.id, toStatus: 'cancelled', reason: 'duplicate', version: 1 });
    const reopened = await transition.execute(ctx, { id: t.id, toStatus: 'reopened', reason: 'leak again', version: 3 });
    expect(reopened).toMatchObject({ status: 'reopened', completedAt: null });
  });

  it('checks moves against a tenant’s new flow as soon as the change commits, and against the defaults again after a reset', async () => {
    const machine = { machine: 'ticket' as const };
    const transition = app.get(TransitionTicketUseCase);
    const create = app.get(CreateTicketUseCase);
    const first = await create.execute(ctx, { contractId: s.contractId, eventIds: [s.events.sparePart[0]] });
    await transition.execute(ctx, { id: first.id, toStatus: 'assigned', version: 1 });
    const current = await app.get(GetStatusFlowUseCase).execute(ctx, machine);
    const withoutStart = current.transitions.filter((t) => !(t.from === 'assigned' && t.to === 'in_progress'));
    await app.get(ReplaceStatusFlowUseCase).execute(ctx, {
      ...machine,
      statuses: current.statuses.map((st) => ({ ...st, color: st.color ?? undefined, icon: st.icon ?? undefined, category: st.category ?? undefined })),
      transitions: withoutStart,
    });
    expect(await rejection(transition.execute(ctx, { id: first.id, toStatus: 'in_progress', version: 2 }))).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
    await app.get(ResetStatusFlowUseCase).execute(ctx, machine);
    await expect(transition.execute(ctx, { id: first.id, toStatus: 'in_progress', version: 2 })).resolves.toMatchObject({ status: 'in_progress' });
  });

  it('opens no ticket and books no visit on a cancelled booking', async () => {
    const c = await seedContract(env, { tenantId: s.tenantId, withTenant: false, services: 1 });
    await publishRaw(env, [
      testEnvelope(
        'BOOKING_CANCELLED',
        {
          bookingId: c.contractId,
          cancelledBy: ctx.actor.id,
          cancelledAt: new Date().toISOString(),
          reason: 'client withdrew',
          affectedEventIds: c.events.service,
        },
        { tenantId: s.tenantId, aggregateId: c.contractId, aggregateVersion: 5 },
      ),
    ]);
    await eventually(async () => {
      const [row] = await db.query(`SELECT status FROM contract_read_models WHERE id = $1`, [c.contractId]);
      expect(row?.status).toBe('cancelled');
    });
    const ticket = await rejection(app.get(CreateTicketUseCase).execute(ctx, { contractId: c.contractId, eventIds: c.events.service }));
    expect(ticket.details).toMatchObject({ reason: 'CONTRACT_NOT_ACTIVE' });
    const visit = await rejection(
      app.get(CreateAppointmentUseCase).execute(ctx, {
        contractId: c.contractId,
        eventIds: c.events.service,
        startsAt: '2026-06-01T04:00:00Z',
        endsAt: '2026-06-01T05:00:00Z',
        timezone: 'UTC',
      }),
    );
    expect(visit.details).toMatchObject({ reason: 'CONTRACT_NOT_ACTIVE' });
  });

  it('keeps a contract cancelled when the cancellation overtakes its activation', async () => {
    const contractId = randomUUID();
    await publishRaw(env, [
      testEnvelope(
        'BOOKING_CANCELLED',
        { bookingId: contractId, cancelledBy: ctx.actor.id, cancelledAt: new Date().toISOString(), reason: 'client withdrew', affectedEventIds: [] },
        { tenantId: s.tenantId, aggregateId: contractId, aggregateVersion: 5 },
      ),
    ]);
    await eventually(async () => {
      const [row] = await db.query(`SELECT status FROM contract_read_models WHERE id = $1`, [contractId]);
      expect(row?.status).toBe('cancelled');
    });
    await seedContract(env, { tenantId: s.tenantId, withTenant: false, services: 1, contractId });
    await eventually(async () => {
      const [row] = await db.query(`SELECT status, contract_number, source_version FROM contract_read_models WHERE id = $1`, [contractId]);
      expect(row).toEqual({ status: 'cancelled', contract_number: `CN-${contractId.slice(0, 6)}`, source_version: 5 });
    });
  });

  it('keeps the newest event status whatever order the messages arrive in, and ignores duplicates', async () => {
    const eventId = randomUUID();
    const base = { eventId, contractId: s.contractId, eventType: 'service', taskId: 'TSK-09999' };
    const changed = testEnvelope(
      'CONTRACT_EVENT_STATUS_CHANGED',
      { ...base, previousStatus: 'due', newStatus: 'overdue', changedAt: new Date().toISOString() },
      { tenantId: s.tenantId, aggregateId: eventId, aggregateVersion: 3 },
    );
    const older = testEnvelope(
      'CONTRACT_EVENT_STATUS_CHANGED',
      { ...base, previousStatus: 'scheduled', newStatus: 'due', changedAt: new Date().toISOString() },
      { tenantId: s.tenantId, aggregateId: eventId, aggregateVersion: 2 },
    );
    const created = testEnvelope(
      'CONTRACT_EVENT_CREATED',
      { ...base, title: 'late visit', status: 'scheduled', scheduledDate: '2026-04-01T00:00:00Z', originalDate: '2026-04-01T00:00:00Z', isUnlimited: false },
      { tenantId: s.tenantId, aggregateId: eventId, aggregateVersion: 1 },
    );
    await publishRaw(env, [changed, older, created, changed]);
    await eventually(async () => {
      const [row] = await db.query(`SELECT status, title, task_id, source_version FROM contract_event_read_models WHERE id = $1`, [eventId]);
      expect(row).toEqual({ status: 'overdue', title: 'late visit', task_id: 'TSK-09999', source_version: 3 });
    });
  });
});
