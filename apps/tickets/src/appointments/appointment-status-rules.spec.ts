import { randomUUID } from 'node:crypto';
import { ticketsHarness } from '../../test/support/unit-harness';
import { AppointmentRow } from './appointment.repository';

/** The status rules of appointments (visits), without a database. */
describe('appointment status rules', () => {
  const setup = () => {
    const h = ticketsHarness();
    const move = (a: AppointmentRow, to: string, opts: { reason?: string; party?: string } = {}) =>
      h.db.run((tx) => h.appointmentMover.move(tx, h.ctx, a, to, opts));
    return { h, move };
  };

  it('refuses what the flow does not define and asks for a reason to cancel, writing nothing', async () => {
    const { h, move } = setup();
    const a = h.appointment();
    await expect(move(a, 'completed')).rejects.toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', details: { from: 'created', to: 'completed' } });
    await expect(move(a, 'cancelled')).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    expect([h.history.rows, h.outbox.appended, h.appointments.rows.get(a.id)!.version]).toEqual([[], [], 1]);
  });

  it('confirms with APPOINTMENT_CONFIRMED and a message to the customer in the visit’s own time', async () => {
    const { h, move } = setup();
    h.contract();
    const confirmed = await move(h.appointment({ status: 'scheduled' }), 'confirmed');
    expect(confirmed).toMatchObject({ status: 'confirmed', version: 2 });
    expect(h.outbox.types).toEqual(['APPOINTMENT_CONFIRMED', 'JTD_REQUESTED']);
    const [, message] = h.outbox.appended;
    expect(message.payload).toMatchObject({
      requestId: `appointment-confirmed:${confirmed.id}:2`,
      sourceType: 'appointment_created',
      recipient: { type: 'customer', name: 'Acme Facilities', phone: '+919812345678' },
      variables: { appointment_date: expect.stringMatching(/^2 Mar 2026, 12:30/), contract_number: 'CN-0042' },
    });
  });

  it('sends no message when the customer can be reached by neither phone nor email', async () => {
    const { h, move } = setup();
    h.contract({ customer: { name: 'Walk-in' } });
    await move(h.appointment({ status: 'scheduled' }), 'confirmed');
    expect(h.outbox.types).toEqual(['APPOINTMENT_CONFIRMED']);
  });

  it('frees everyone’s time when a visit is cancelled, and only unanswered offers when it is completed', async () => {
    const { h, move } = setup();
    const cancelled = h.appointment({ status: 'scheduled' });
    const offered = h.assignment(cancelled, randomUUID());
    const accepted = h.assignment(cancelled, randomUUID(), { status: 'accepted' });
    await move(cancelled, 'cancelled', { reason: 'contract paused' });
    expect([offered.status, accepted.status]).toEqual(['withdrawn', 'withdrawn']);
    expect(h.outbox.ofType('APPOINTMENT_CANCELED')[0].payload).toMatchObject({ appointmentId: cancelled.id, reason: 'contract paused' });

    const done = h.appointment({ status: 'in_progress' });
    const late = h.assignment(done, randomUUID());
    const worked = h.assignment(done, randomUUID(), { status: 'checked_out' });
    await move(done, 'completed');
    expect([late.status, worked.status]).toEqual(['withdrawn', 'checked_out']);
    expect(h.outbox.ofType('APPOINTMENT_COMPLETED')[0].payload).toMatchObject({ appointmentId: done.id, completedAt: '2026-03-02T06:00:00.000Z' });
  });

  it('records who did not show up', async () => {
    const { h, move } = setup();
    await move(h.appointment({ status: 'confirmed' }), 'no_show', { party: 'agent', reason: 'technician sick' });
    expect(h.outbox.ofType('APPOINTMENT_NO_SHOW')[0].payload).toMatchObject({ party: 'agent', notes: 'technician sick' });
  });

  it('checks a move before the caller writes anything else (a reschedule of a finished visit)', async () => {
    const h = ticketsHarness();
    const done = h.appointment({ status: 'completed' });
    await expect(h.db.run((tx) => h.appointmentMover.check(tx, h.ctx, done, 'rescheduled', 'customer away'))).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
    });
    await expect(h.db.run((tx) => h.appointmentMover.check(tx, h.ctx, h.appointment({ status: 'scheduled' }), 'rescheduled'))).resolves.toBeUndefined();
    expect(h.history.rows).toEqual([]);
  });

  it('writes history in the shared shape, marked as an appointment’s', async () => {
    const { h, move } = setup();
    const a = h.appointment();
    await move(a, 'scheduled');
    expect(h.history.rows).toEqual([
      expect.objectContaining({ subjectId: a.id, from: 'created', to: 'scheduled', secondsInPrevious: 600, extra: { entity_type: 'appointment' } }),
    ]);
  });
});
