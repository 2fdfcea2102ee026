import { randomUUID } from 'node:crypto';
import { START, technicianContext, ticketsHarness } from '../../test/support/unit-harness';
import { isOfferExpired, offerDeadline } from './staff-offers';
import { AcceptOfferUseCase } from './use-cases/accept-offer.use-case';

const HOUR = 3600_000;
const at = (ms: number) => new Date(START.getTime() + ms);

describe('offer deadlines', () => {
  it('gives a technician a day to answer by default, but no later than the visit’s start and at least a minute', () => {
    expect(offerDeadline(START, at(72 * HOUR))).toEqual(at(24 * HOUR));
    expect(offerDeadline(START, at(2 * HOUR))).toEqual(at(2 * HOUR));
    expect(offerDeadline(START, at(10_000))).toEqual(at(60_000));
  });

  it('takes the deadline asked for, which must be in the future', () => {
    expect(offerDeadline(START, at(72 * HOUR), at(5 * HOUR).toISOString())).toEqual(at(5 * HOUR));
    expect(() => offerDeadline(START, at(72 * HOUR), START.toISOString())).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', fieldErrors: { responseDeadline: expect.any(Array) } }),
    );
  });

  it('counts an answer at the deadline itself as on time, and one after it as late', () => {
    const offer = { status: 'offered', responseDeadline: START };
    expect(isOfferExpired(offer, START)).toBe(false);
    expect(isOfferExpired(offer, at(1))).toBe(true);
    expect(isOfferExpired({ ...offer, status: 'accepted' }, at(HOUR))).toBe(false);
  });

  describe('accepting', () => {
    const setup = () => {
      const h = ticketsHarness();
      const accept = new AcceptOfferUseCase(
        h.db,
        h.fieldStep,
        h.calendar,
        h.repos.assignments,
        h.repos.tickets,
        h.appointmentMover,
        h.ticketMover,
        h.outbox,
        h.clock,
      );
      return { h, accept };
    };

    it('refuses a late answer with OFFER_EXPIRED and keeps the offer expired (committed), so it holds the slot no longer', async () => {
      const { h, accept } = setup();
      const tech = randomUUID();
      const visit = h.appointment();
      const offer = h.assignment(visit, tech, { responseDeadline: START });
      h.clock.advance(1000);
      await expect(accept.execute(technicianContext(tech), { id: visit.id, userId: tech })).rejects.toMatchObject({
        code: 'BUSINESS_RULE',
        details: { reason: 'OFFER_EXPIRED' },
        message: 'the offer expired at 2026-03-02T06:00:00.000Z',
      });
      expect(offer).toMatchObject({ status: 'expired', version: 2 });
      expect(h.db.commits).toBe(1);
      const clash = h.db.run((tx) => h.calendar.assertFree(tx, h.ctx.tenantId, [tech], { startsAt: visit.startsAt, endsAt: visit.endsAt, now: h.clock.now() }));
      await expect(clash).resolves.toBeUndefined();
    });

    it('accepts in time: the visit is scheduled, the technician joins the ticket and the ticket is assigned', async () => {
      const { h, accept } = setup();
      const tech = randomUUID();
      const ticket = h.ticket();
      const visit = h.appointment({ ticketId: ticket.id });
      h.assignment(visit, tech, { responseDeadline: START });
      const view = await accept.execute(technicianContext(tech), { id: visit.id, userId: tech, notes: 'on my way' });
      expect(view).toMatchObject({ status: 'scheduled', assignments: [{ userId: tech, status: 'accepted', respondedAt: START.toISOString() }] });
      expect(h.tickets.rows.get(ticket.id)).toMatchObject({ status: 'assigned', assignees: [{ userId: tech, role: 'technician' }], version: 3 });
      expect(h.outbox.types).toEqual(['APPOINTMENT_ASSIGNED', 'SERVICE_TICKET_STATUS_CHANGED', 'STAFF_ASSIGNMENT_ACCEPTED']);
    });

    it('refuses an answer once the technician is booked elsewhere at that time', async () => {
      const { h, accept } = setup();
      const tech = randomUUID();
      const visit = h.appointment();
      h.assignment(visit, tech);
      const elsewhere = h.appointment({ startsAt: at(90 * 60_000), endsAt: at(3 * HOUR) });
      h.assignment(elsewhere, tech, { status: 'accepted' });
      await expect(accept.execute(technicianContext(tech), { id: visit.id, userId: tech })).rejects.toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'DOUBLE_BOOKING', clashingAppointmentId: elsewhere.id },
      });
    });
  });
});
