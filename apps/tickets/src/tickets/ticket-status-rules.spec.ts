import { randomUUID } from 'node:crypto';
import { TICKET_MACHINE } from '@app/shared/api/tickets/tickets.vocabulary';
import { parseTransitions } from '@app/shared/status-machine/flow-format';
import { DEFAULT_TICKET_FLOW } from '../settings/default-flows';
import { TENANT, ticketsHarness } from '../../test/support/unit-harness';
import { TicketRow } from './ticket.repository';

/**
 * The status rules of service tickets, without a database: the default flows in memory, the mover with its
 * hooks, in-memory tickets, evidence and contracts, the recording outbox and a fixed clock.
 */
describe('ticket status rules', () => {
  const setup = () => {
    const h = ticketsHarness();
    const move = (t: TicketRow, to: string, reason?: string) => h.db.run((tx) => h.ticketMover.move(tx, h.ctx, t, to, reason));
    const advance = (t: TicketRow, to: string) => h.db.run((tx) => h.ticketMover.advance(tx, h.ctx, t, to));
    return { h, move, advance };
  };

  it('refuses a move the tenant’s flow does not define, naming the moves it allows, and writes nothing', async () => {
    const { h, move } = setup();
    const t = h.ticket();
    await expect(move(t, 'completed')).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { from: 'created', to: 'completed', allowed: expect.arrayContaining(['assigned', 'in_progress', 'cancelled']) },
    });
    expect([h.history.rows, h.outbox.appended, h.tickets.rows.get(t.id)!.version]).toEqual([[], [], 1]);
    expect(h.db.rollbacks).toBe(1);
  });

  it('cancels only with a reason, closes the event links and announces SERVICE_TICKET_CANCELLED with it', async () => {
    const { h, move } = setup();
    const t = h.ticket();
    await expect(move(t, 'cancelled')).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    const cancelled = await move(t, 'cancelled', 'duplicate');
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledAt: h.clock.now(), version: 2 });
    expect(h.tickets.links.every((l) => !l.isOpen)).toBe(true);
    expect(h.outbox.types).toEqual(['SERVICE_TICKET_STATUS_CHANGED', 'SERVICE_TICKET_CANCELLED']);
    expect(h.outbox.ofType('SERVICE_TICKET_CANCELLED')[0].payload).toMatchObject({
      ticketId: t.id,
      reason: 'duplicate',
      cancelledAt: '2026-03-02T06:00:00.000Z',
    });
  });

  it('records who moved it, why, how long it stayed, and which machine it belongs to, in the shared history shape', async () => {
    const { h, move } = setup();
    const t = h.ticket();
    await move(t, 'in_progress');
    expect(h.history.rows).toEqual([
      expect.objectContaining({
        tenantId: TENANT,
        subjectId: t.id,
        from: 'created',
        to: 'in_progress',
        actor: h.ctx.actor,
        source: 'user',
        secondsInPrevious: 3600,
        isValidTransition: true,
        extra: { entity_type: 'ticket' },
      }),
    ]);
    expect(h.outbox.ofType('SERVICE_TICKET_STATUS_CHANGED')[0]).toMatchObject({
      aggregateId: t.id,
      aggregateVersion: 2,
      payload: { previousStatus: 'created', newStatus: 'in_progress' },
    });
  });

  it('keeps the time work started: the first move to in_progress sets it, a later one does not', async () => {
    const { h, move } = setup();
    const started = await move(h.ticket(), 'in_progress');
    expect(started.startedAt).toEqual(h.clock.now());
    h.clock.advance(60_000);
    const back = await move(await move(started, 'evidence_uploaded'), 'in_progress');
    expect(back.startedAt).toEqual(started.startedAt);
  });

  it('completes with the evidence per event (ticket-level evidence counts for every event) and the contract’s customer', async () => {
    const { h, move } = setup();
    const [first, second] = [randomUUID(), randomUUID()];
    const t = h.ticket({ status: 'in_progress' }, [first, second]);
    h.contract();
    const onFirst = { id: randomUUID(), tenantId: TENANT, ticketId: t.id, eventId: first, status: 'verified' };
    const forAll = { id: randomUUID(), tenantId: TENANT, ticketId: t.id, eventId: null, status: 'uploaded' };
    const rejected = { id: randomUUID(), tenantId: TENANT, ticketId: t.id, eventId: second, status: 'rejected' };
    h.evidence.rows.push(onFirst, forAll, rejected);
    const done = await move(t, 'completed');
    expect(done).toMatchObject({ status: 'completed', completedAt: h.clock.now() });
    expect(h.tickets.links.every((l) => !l.isOpen)).toBe(true);
    const completed = h.outbox.ofType('SERVICE_TICKET_COMPLETED')[0].payload;
    expect(completed.evidence).toEqual(
      expect.arrayContaining([
        { eventId: first, evidenceIds: [onFirst.id, forAll.id] },
        { eventId: second, evidenceIds: [forAll.id] },
      ]),
    );
    expect(completed).toMatchObject({ contractNumber: 'CN-0042', customer: { name: 'Acme Facilities' } });
  });

  it('asks for evidence where the tenant’s flow requires it, and counts evidence recorded on the ticket', async () => {
    const { h, move } = setup();
    const strict = {
      ...DEFAULT_TICKET_FLOW,
      transitions: parseTransitions(['created>in_progress', 'in_progress>completed +evidence', 'created|in_progress>cancelled +reason']),
    };
    h.statusFlows.setTenant(TENANT, TICKET_MACHINE, strict);
    const t = h.ticket({ status: 'in_progress' });
    await expect(move(t, 'completed')).rejects.toMatchObject({ code: 'EVIDENCE_REQUIRED' });
    h.evidence.rows.push({ id: randomUUID(), tenantId: TENANT, ticketId: t.id, eventId: null, status: 'uploaded' });
    await expect(move(t, 'completed')).resolves.toMatchObject({ status: 'completed' });
  });

  it('reopens a completed ticket only while no other open ticket holds its events, and forgets when it was completed', async () => {
    const { h, move } = setup();
    const eventId = randomUUID();
    const done = h.ticket({ status: 'completed', completedAt: new Date('2026-03-01T00:00:00Z') }, [eventId]);
    const other = h.ticket({}, [eventId]);
    await expect(move(done, 'reopened', 'leak again')).rejects.toMatchObject({
      code: 'BUSINESS_RULE',
      details: { reason: 'ALREADY_ON_OPEN_TICKET', eventIds: [eventId] },
      message: expect.stringContaining(other.ticketNumber),
    });
    await move(other, 'cancelled', 'duplicate');
    const reopened = await move(done, 'reopened', 'leak again');
    expect(reopened).toMatchObject({ status: 'reopened', completedAt: null });
    expect(h.tickets.links.find((l) => l.ticketId === done.id)!.isOpen).toBe(true);
  });

  it('takes a move a field step implies only where the flow has it without a reason, and otherwise leaves the ticket as it is', async () => {
    const { h, advance } = setup();
    const t = h.ticket();
    await expect(advance(t, 'assigned')).resolves.toMatchObject({ status: 'assigned', version: 2 });
    const stays = h.ticket({ status: 'completed' });
    await expect(advance(stays, 'in_progress')).resolves.toBe(stays);
    const already = h.ticket({ status: 'in_progress' });
    await expect(advance(already, 'in_progress')).resolves.toBe(already);
    expect(h.history.rows).toHaveLength(1);
  });

  it('follows the tenant’s own flow for implied moves', async () => {
    const { h, advance } = setup();
    const noAssigning = { ...DEFAULT_TICKET_FLOW, transitions: parseTransitions(['created>in_progress', 'created>cancelled +reason']) };
    h.statusFlows.setTenant(TENANT, TICKET_MACHINE, noAssigning);
    const t = h.ticket();
    await expect(advance(t, 'assigned')).resolves.toBe(t);
    expect(h.outbox.appended).toEqual([]);
  });
});
