import { randomUUID } from 'node:crypto';
import { technicianContext, ticketsHarness } from '../../test/support/unit-harness';
import { CheckInSite } from './check-in-site';
import { CheckInUseCase } from './use-cases/check-in.use-case';
import { CheckOutUseCase } from './use-cases/check-out.use-case';
import { DispatchTechnicianUseCase } from './use-cases/dispatch-technician.use-case';
import { ReportEnRouteUseCase } from './use-cases/report-en-route.use-case';

/** The order of a technician's steps on site, and what arriving and leaving move, without a database. */
/** The distance rule has its own tests (geo-distance.spec.ts, the integration tests); here a visit without coordinates. */
const noSiteCheck = { judge: async () => ({ distanceM: null, outside: null }) } as unknown as CheckInSite;

describe('check-in and check-out', () => {
  const setup = () => {
    const h = ticketsHarness();
    const checkIn = new CheckInUseCase(h.fieldStep, h.appointmentMover, h.ticketMover, noSiteCheck);
    const checkOut = new CheckOutUseCase(h.fieldStep, h.repos.assignments, h.appointmentMover);
    const ticket = h.ticket({ status: 'assigned' });
    const visit = h.appointment({ status: 'scheduled', ticketId: ticket.id });
    const at = (d: string) => h.clock.set(d);
    return { h, checkIn, checkOut, ticket, visit, at };
  };
  const here = { lat: 12.97, lng: 77.59, verificationMethod: 'gps' };

  it('refuses to check out before checking in, and to check in twice', async () => {
    const { h, checkIn, checkOut, visit } = setup();
    const tech = randomUUID();
    h.assignment(visit, tech, { status: 'accepted' });
    await expect(checkOut.execute(technicianContext(tech), { id: visit.id, ...here })).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { from: 'accepted', step: 'check out', allowedFrom: ['checked_in'] },
    });
    await checkIn.execute(technicianContext(tech), { id: visit.id, ...here });
    await expect(checkIn.execute(technicianContext(tech), { id: visit.id, ...here })).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { from: 'checked_in' },
    });
  });

  it('refuses a check-in on an offer nobody accepted', async () => {
    const { h, checkIn, visit } = setup();
    const tech = randomUUID();
    h.assignment(visit, tech);
    await expect(checkIn.execute(technicianContext(tech), { id: visit.id, ...here })).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { from: 'offered' },
    });
  });

  it('starts the visit and the ticket on arrival, where the flows allow, after dispatch and en route', async () => {
    const { h, checkIn, ticket, visit } = setup();
    const tech = randomUUID();
    h.assignment(visit, tech, { status: 'accepted' });
    await new DispatchTechnicianUseCase(h.fieldStep).execute(h.ctx, { id: visit.id, userId: tech });
    await new ReportEnRouteUseCase(h.fieldStep).execute(technicianContext(tech), { id: visit.id, userId: tech });
    const view = await checkIn.execute(technicianContext(tech), { id: visit.id, ...here, accuracy: 8 });
    expect(view).toMatchObject({
      status: 'in_progress',
      assignments: [{ status: 'checked_in', checkIn: { lat: 12.97, lng: 77.59, accuracy: 8, verificationMethod: 'gps' } }],
    });
    expect(h.tickets.rows.get(ticket.id)!.status).toBe('in_progress');
    expect(h.outbox.types).toEqual(['TECHNICIAN_DISPATCHED', 'TECHNICIAN_EN_ROUTE', 'SERVICE_TICKET_STATUS_CHANGED', 'STAFF_CHECKED_IN']);
    expect(h.outbox.ofType('STAFF_CHECKED_IN')[0]).toMatchObject({
      aggregateVersion: 4,
      payload: { location: { latitude: 12.97, longitude: 77.59, accuracy: 8 } },
    });
  });

  it('completes the visit when the last technician on site leaves, not before', async () => {
    const { h, checkIn, checkOut, ticket, visit, at } = setup();
    const [first, second] = [randomUUID(), randomUUID()];
    h.assignment(visit, first, { status: 'accepted' });
    h.assignment(visit, second, { status: 'accepted' });
    at('2026-03-02T07:00:00Z');
    await checkIn.execute(technicianContext(first), { id: visit.id, ...here });
    await checkIn.execute(technicianContext(second), { id: visit.id, ...here });
    at('2026-03-02T08:30:00Z');
    const oneLeft = await checkOut.execute(technicianContext(first), { id: visit.id, ...here });
    expect(oneLeft.status).toBe('in_progress');
    expect(oneLeft.assignments.find((s) => s.userId === first)).toMatchObject({ status: 'checked_out', hoursWorked: 1.5 });
    const allGone = await checkOut.execute(technicianContext(second), { id: visit.id, ...here, hoursWorked: 1 });
    expect(allGone.status).toBe('completed');
    expect(allGone.assignments.find((s) => s.userId === second)).toMatchObject({ hoursWorked: 1 });
    // Completing the ticket stays a person's decision.
    expect(h.tickets.rows.get(ticket.id)!.status).toBe('in_progress');
    expect(h.outbox.ofType('APPOINTMENT_COMPLETED')).toHaveLength(1);
  });

  it('lets a technician act only for themselves; agents and admins may act for them', async () => {
    const { h, checkIn, visit } = setup();
    const tech = randomUUID();
    h.assignment(visit, tech, { status: 'accepted' });
    await expect(checkIn.execute(technicianContext(randomUUID()), { id: visit.id, userId: tech, ...here })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(checkIn.execute(h.ctx, { id: visit.id, userId: tech, ...here })).resolves.toMatchObject({ status: 'in_progress' });
  });

  it('moves the ticket to in_progress on arrival only where its flow has that move from the ticket’s status', async () => {
    const { h, checkIn, visit, ticket } = setup();
    h.tickets.rows.set(ticket.id, { ...ticket, status: 'evidence_uploaded' });
    const tech = randomUUID();
    h.assignment(visit, tech, { status: 'en_route' });
    await checkIn.execute(technicianContext(tech), { id: visit.id, ...here });
    expect(h.tickets.rows.get(ticket.id)!.status).toBe('in_progress');
    h.tickets.rows.set(ticket.id, { ...ticket, status: 'completed' });
    const other = randomUUID();
    h.assignment(visit, other, { status: 'accepted' });
    await checkIn.execute(technicianContext(other), { id: visit.id, ...here });
    expect(h.tickets.rows.get(ticket.id)!.status).toBe('completed');
  });
});
