import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { eventually } from '@app/shared/testing/eventually';
import { CreateAppointmentUseCase } from '../src/appointments/use-cases/create-appointment.use-case';
import { ListAppointmentsUseCase } from '../src/appointments/use-cases/list-appointments.use-case';
import { RecordEvidenceUseCase } from '../src/evidence/use-cases/record-evidence.use-case';
import { ReportAppointmentIssueUseCase } from '../src/issues/use-cases/report-appointment-issue.use-case';
import { ReportTicketIssueUseCase } from '../src/issues/use-cases/report-ticket-issue.use-case';
import { AddTicketEventsUseCase } from '../src/tickets/use-cases/add-ticket-events.use-case';
import { CreateTicketUseCase } from '../src/tickets/use-cases/create-ticket.use-case';
import { ListTicketsUseCase } from '../src/tickets/use-cases/list-tickets.use-case';
import { seedContract, SeededContract } from './support/seed-read-model';
import { rejection, startTicketsHarness, TicketsHarness } from './support/tickets-harness';

/**
 * Ids in a request body are checked against the caller's tenant like ids in the path: another tenant's is
 * NOT_FOUND (the same answer as an id nobody has), naming it; an id of the tenant that may not be used here
 * is 422. Path ids: test/tickets-input.e2e-spec.ts. Technicians' user ids are the identity provider's.
 */
describe('another tenant’s ids in request bodies (tickets)', () => {
  let h: TicketsHarness;
  let app: INestApplication;
  let db: DataSource;
  let s: SeededContract;
  let ctx: RequestContext;
  let other: SeededContract;
  let otherTicket: string;
  const slot = { startsAt: '2026-06-01T04:00:00Z', endsAt: '2026-06-01T05:00:00Z', timezone: 'Asia/Kolkata' };

  beforeAll(async () => {
    h = await startTicketsHarness({ captured: [] });
    ({ app, db, s, ctx } = h);
    other = await seedContract(h.env, { services: 2 });
    await eventually(async () => {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM contract_event_read_models WHERE contract_id = $1`, [other.contractId]);
      expect(n).toBe(4);
    });
    const otherCtx = { ...ctx, tenantId: other.tenantId };
    otherTicket = (await app.get(CreateTicketUseCase).execute(otherCtx, { contractId: other.contractId, eventIds: [other.events.service[0]] })).id;
  });

  afterAll(() => h?.close());

  const notFound = async (p: Promise<unknown>, id: string) => {
    const e = await rejection(p);
    expect({ code: e.code, names: e.message.includes(id) }).toEqual({ code: 'NOT_FOUND', names: true });
  };
  const ticketOf = (eventId: string) => app.get(CreateTicketUseCase).execute(ctx, { contractId: s.contractId, eventIds: [eventId] });

  it('createTicket: another tenant’s contract and events are not found', async () => {
    await notFound(app.get(CreateTicketUseCase).execute(ctx, { contractId: other.contractId, eventIds: [other.events.service[1]] }), other.contractId);
    await notFound(
      app.get(CreateTicketUseCase).execute(ctx, { contractId: s.contractId, eventIds: [s.events.service[0], other.events.service[1]] }),
      other.events.service[1],
    );
  });

  it('addTicketEvents: another tenant’s events are not found and nothing is added', async () => {
    const ticket = await ticketOf(s.events.service[0]);
    await notFound(app.get(AddTicketEventsUseCase).execute(ctx, { id: ticket.id, eventIds: [other.events.service[1]] }), other.events.service[1]);
    expect(
      (await db.query(`SELECT event_id FROM service_ticket_events WHERE ticket_id = $1`, [ticket.id])).map((r: { event_id: string }) => r.event_id),
    ).toEqual([s.events.service[0]]);
  });

  it('createAppointment: another tenant’s contract, ticket and events are not found', async () => {
    const create = app.get(CreateAppointmentUseCase);
    await notFound(create.execute(ctx, { contractId: other.contractId, eventIds: [other.events.service[1]], ...slot }), other.contractId);
    await notFound(create.execute(ctx, { contractId: s.contractId, ticketId: otherTicket, ...slot }), otherTicket);
    await notFound(create.execute(ctx, { contractId: s.contractId, eventIds: [other.events.service[1]], ...slot }), other.events.service[1]);
  });

  it('recordEvidence: another tenant’s event is not found; the tenant’s own event off the ticket is 422', async () => {
    const ticket = await ticketOf(s.events.service[1]);
    await notFound(
      app.get(RecordEvidenceUseCase).execute(ctx, { id: ticket.id, type: 'note', note: 'x', eventId: other.events.service[1] }),
      other.events.service[1],
    );
    const offTicket = await rejection(app.get(RecordEvidenceUseCase).execute(ctx, { id: ticket.id, type: 'note', note: 'x', eventId: s.events.service[2] }));
    expect(offTicket).toMatchObject({ code: 'BUSINESS_RULE', details: { reason: 'NOT_ON_TICKET' } });
    expect((await db.query(`SELECT count(*)::int AS n FROM evidence WHERE ticket_id = $1`, [ticket.id]))[0].n).toBe(0);
  });

  it('reportTicketIssue and reportAppointmentIssue: another tenant’s event is not found; the tenant’s own off the visit is 422', async () => {
    const ticket = await ticketOf(s.events.service[3]);
    const visit = await app.get(CreateAppointmentUseCase).execute(ctx, { contractId: s.contractId, ticketId: ticket.id, ...slot });
    const issue = { type: 'kit', severity: 'low', description: 'x' };
    const onTicket = app.get(ReportTicketIssueUseCase);
    await notFound(onTicket.execute(ctx, { id: ticket.id, ...issue, eventId: other.events.service[1] }), other.events.service[1]);
    await notFound(app.get(ReportAppointmentIssueUseCase).execute(ctx, { id: visit.id, ...issue, eventId: other.events.service[1] }), other.events.service[1]);
    expect(await rejection(onTicket.execute(ctx, { id: ticket.id, ...issue, eventId: s.events.service[0] }))).toMatchObject({
      code: 'BUSINESS_RULE',
      details: { reason: 'NOT_ON_TICKET' },
    });
  });

  it('listTickets and listAppointments: a filter naming another tenant’s contract or ticket finds nothing', async () => {
    expect((await app.get(ListTicketsUseCase).execute(ctx, { contractId: other.contractId })).items).toEqual([]);
    expect((await app.get(ListAppointmentsUseCase).execute(ctx, { contractId: other.contractId })).items).toEqual([]);
    expect((await app.get(ListAppointmentsUseCase).execute(ctx, { ticketId: otherTicket })).items).toEqual([]);
  });
});
