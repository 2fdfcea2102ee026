import { getEventStatuses, replaceEventStatuses } from '@app/shared/api/events/cockpit-settings.operations';
import { listEventAudit } from '@app/shared/api/events/contract-events.operations';
import { activateContract, createContract, getContract } from '@app/shared/api/events/contracts.operations';
import { FixedClock } from '@app/shared/time/clock';
import { EventScheduler } from '../src/scheduler/event-scheduler';
import { contractInput } from './support/contract-factory';
import { EventsHarness, startEventsHarness } from './support/events-harness';

describe('event scheduler (fake clock)', () => {
  const clock = new FixedClock(new Date('2025-12-01T00:00:00Z'));
  let h: EventsHarness;
  let contractId: string;

  beforeAll(async () => {
    h = await startEventsHarness({ clock });
    // Asia/Kolkata: the events of 1 January start at 2025-12-31T18:30Z
    const c = await h.rpc.ok(
      createContract,
      contractInput({
        customer: { name: 'Acme Foods', email: 'ops@acme.example' },
        services: [{ name: 'Visit', every: { unit: 'month', interval: 1 } }],
        billing: { mode: 'emi', total: '300.00', currency: 'INR', installments: 3 },
      }),
    );
    contractId = c.id;
    await h.rpc.ok(activateContract, { id: contractId });
  });

  afterAll(async () => {
    await h?.close();
  });

  const scheduler = () => h.app.get(EventScheduler);
  const statuses = async () =>
    (await h.db.query(`SELECT event_type, status, count(*)::int AS n FROM contract_events WHERE contract_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`, [contractId]))
      .rows;

  it('leaves events alone outside their lead window', async () => {
    clock.set('2025-12-24T00:00:00Z'); // 1 Jan is 8 days away
    expect(await scheduler().runOnce()).toEqual({ due: 0, overdue: 0, contractsClosed: 0, renewalNotices: 0 });
  });

  it('moves events into due inside the lead window once, as System, emitting CONTRACT_EVENT_DUE', async () => {
    clock.set('2025-12-25T00:00:00Z'); // 7 days before 1 Jan (local midnight)
    // two replicas at once: the tenant is handled by one of them
    const [a, b] = await Promise.all([scheduler().runOnce(), scheduler().runOnce()]);
    expect(a.due + b.due).toBe(2);
    expect(await scheduler().runOnce()).toEqual({ due: 0, overdue: 0, contractsClosed: 0, renewalNotices: 0 });
    expect(await statuses()).toEqual([
      { event_type: 'billing', status: 'due', n: 1 },
      { event_type: 'billing', status: 'scheduled', n: 2 },
      { event_type: 'service', status: 'due', n: 1 },
      { event_type: 'service', status: 'scheduled', n: 11 },
    ]);
    const due = await h.db.query(`SELECT actor, payload FROM outbox WHERE type = 'CONTRACT_EVENT_DUE' ORDER BY payload->>'eventType'`);
    expect(due.rows).toHaveLength(2);
    expect(due.rows[0].actor).toMatchObject({ type: 'system', name: 'System' });
    expect(due.rows[0].payload).toMatchObject({
      eventType: 'billing',
      amount: '100.00',
      currency: 'INR',
      previousStatus: 'scheduled',
      newStatus: 'due',
      scheduledDate: '2025-12-31T18:30:00.000Z',
      contract: { id: contractId, title: 'Annual maintenance: chillers' },
      customer: { name: 'Acme Foods' },
    });
    const [event] = (await h.db.query(`SELECT id FROM contract_events WHERE contract_id = $1 AND event_type = 'service' AND status = 'due'`, [contractId]))
      .rows;
    const audit = await h.rpc.ok(listEventAudit, { id: event.id });
    expect(audit.items.at(-1)).toMatchObject({
      from: 'scheduled',
      to: 'due',
      source: 'system',
      actor: { type: 'system' },
      reason: expect.stringContaining('7 days'),
    });
  });

  it('moves events to overdue only after their local day is over', async () => {
    clock.set('2026-01-01T12:00:00Z'); // 17:30 in Kolkata on the day itself
    expect((await scheduler().runOnce()).overdue).toBe(0);
    clock.set('2026-01-01T18:30:00Z'); // midnight in Kolkata
    expect(await scheduler().runOnce()).toMatchObject({ overdue: 2 });
    expect(await scheduler().runOnce()).toMatchObject({ overdue: 0 });
    const overdue = await h.db.query(`SELECT payload FROM outbox WHERE type = 'CONTRACT_EVENT_OVERDUE'`);
    expect(overdue.rows.map((r) => r.payload.previousStatus)).toEqual(['due', 'due']);
  });

  it('uses the tenant lead window and skips moves its flow does not have', async () => {
    const flow = await h.rpc.ok(getEventStatuses, { eventType: 'service' });
    await h.rpc.ok(replaceEventStatuses, {
      eventType: 'service',
      statuses: flow.statuses.map((s) => ({ ...s, color: s.color ?? undefined, icon: s.icon ?? undefined })),
      transitions: flow.transitions.map(({ requiresTasksDone: _r, ...t }) => t),
      dueLeadDays: 40,
    });
    const bill = await h.rpc.ok(getEventStatuses, { eventType: 'billing' });
    await h.rpc.ok(replaceEventStatuses, {
      eventType: 'billing',
      statuses: bill.statuses.map((s) => ({ ...s, color: s.color ?? undefined, icon: s.icon ?? undefined })),
      transitions: bill.transitions.filter((t) => t.to !== 'due').map(({ requiresTasksDone: _r, ...t }) => t),
    });
    clock.set('2026-01-02T00:00:00Z');
    const run = await scheduler().runOnce();
    // services of 1 Feb (inside 40 days) become due; the billing of 1 Feb does not (no scheduled→due in its flow)
    expect(run).toMatchObject({ due: 1, overdue: 0 });
  });

  it('closes a contract after its end: expired while events are open', async () => {
    clock.set('2027-01-02T00:00:00Z');
    const run = await scheduler().runOnce();
    expect(run.overdue).toBeGreaterThan(0);
    expect(run.contractsClosed).toBe(1);
    expect((await h.rpc.ok(getContract, { id: contractId })).status).toBe('expired');
  });
});
