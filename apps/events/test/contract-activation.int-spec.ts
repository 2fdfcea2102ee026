import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { listEvents } from '@app/shared/api/events/contract-events.operations';
import { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { activateContract, createContract, getContract, submitContract } from '@app/shared/api/events/contracts.operations';
import { contractInput, referenceContract } from './support/contract-factory';
import { Transactions } from '@app/shared/db/transactions';
import { ContractActivator } from '../src/contracts/contract-activator';
import { ContractRepository } from '../src/contracts/contract.repository';
import { EventsHarness, startEventsHarness } from './support/events-harness';
import { userContext } from './support/rpc-client';

const ZONE = 'Asia/Kolkata';
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toISODate();

describe('contract activation', () => {
  let h: EventsHarness;

  beforeAll(async () => {
    h = await startEventsHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  async function listAll(contractId: string, tenantId = h.tenantId) {
    const items: ContractEventView[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.rpc.ok(listEvents, { contractId, limit: 200, ...(cursor ? { cursor } : {}) }, { tenantId });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  it('materialises 12 monthly services, 4 quarterly installments and 10 limited parts with dates, TaskIDs and exact amounts', async () => {
    const created = await h.rpc.ok(createContract, referenceContract());
    expect(created.status).toBe('draft');
    const active = await h.rpc.ok(activateContract, { id: created.id });
    expect(active.status).toBe('active');
    expect(active.totalEvents).toBe(26);

    const events = (await listAll(created.id)).sort((a, b) => a.taskId.localeCompare(b.taskId));
    const services = ['01-01', '02-01', '03-01', '04-01', '05-01', '06-01', '07-01', '08-01', '09-01', '10-01', '11-01', '12-01'].map((d) => `2026-${d}`);
    // 10 units spread over the 365 days: day floor(k × 365 / 10)
    const parts = [0, 36, 73, 109, 146, 182, 219, 255, 292, 328].map((d) => DateTime.fromISO('2026-01-01').plus({ days: d }).toISODate()!);
    const billing = ['2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01'];
    const order = { service: 0, spare_part: 1, billing: 2 } as const;
    const expected = [
      ...services.map((date) => ({ type: 'service' as const, date })),
      ...parts.map((date) => ({ type: 'spare_part' as const, date })),
      ...billing.map((date) => ({ type: 'billing' as const, date })),
    ].sort((a, b) => a.date.localeCompare(b.date) || order[a.type] - order[b.type]);

    expect(events.map((e) => ({ type: e.type, date: local(e.scheduledDate) }))).toEqual(expected);
    expect(events.map((e) => e.taskId)).toEqual(Array.from({ length: 26 }, (_, i) => `TSK-${String(i + 1).padStart(5, '0')}`));
    expect(events.every((e) => e.status === 'scheduled' && e.originalDate === e.scheduledDate && e.source === 'system')).toBe(true);

    const svc = events.filter((e) => e.type === 'service');
    expect(svc.map((e) => e.sequenceNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(svc.every((e) => e.totalOccurrences === 12)).toBe(true);
    expect(DateTime.fromISO(svc[0].scheduledDate, { zone: ZONE }).toFormat('HH:mm')).toBe('00:00');

    const bills = events.filter((e) => e.type === 'billing');
    expect(bills.map((e) => e.amount)).toEqual(['2500.00', '2500.00', '2500.00', '2500.03']);
    expect(bills.every((e) => e.currency === 'INR')).toBe(true);

    const filters = events.filter((e) => e.type === 'spare_part');
    expect(filters).toHaveLength(10);
    expect(filters.every((e) => e.partId === 'FILTER-10' && e.promiseQty === 10 && e.isUnlimited === false && e.quantity === 1)).toBe(true);
    // the unlimited gasket gets nothing up front
    expect(events.some((e) => e.partId === 'GASKET')).toBe(false);

    const outbox = await h.db.query(
      `SELECT type, count(*)::int AS n, sum(jsonb_array_length(payload->'events'))::int AS listed FROM outbox
       WHERE tenant_id = $1 AND type IN ('CONTRACT_ACTIVATED','EVENT_INSTANCES_GENERATED','CONTRACT_EVENT_CREATED','CONTRACT_EVENTS_CREATED') GROUP BY type ORDER BY type`,
      [h.tenantId],
    );
    // The 26 events are announced together, in one message of their contract.
    expect(outbox.rows).toEqual([
      { type: 'CONTRACT_ACTIVATED', n: 1, listed: null },
      { type: 'CONTRACT_EVENTS_CREATED', n: 1, listed: 26 },
      { type: 'EVENT_INSTANCES_GENERATED', n: 1, listed: null },
    ]);

    const detail = await h.rpc.ok(getContract, { id: created.id });
    expect(detail.eventCounts).toEqual({
      billing: { total: 4, byStatus: { scheduled: 4 } },
      service: { total: 12, byStatus: { scheduled: 12 } },
      spare_part: { total: 10, byStatus: { scheduled: 10 } },
    });
  });

  it('activating again returns the active contract and creates nothing more', async () => {
    const c = await h.rpc.ok(createContract, referenceContract());
    await h.rpc.ok(activateContract, { id: c.id });
    const again = await h.rpc.ok(activateContract, { id: c.id });
    expect(again.status).toBe('active');
    expect(await listAll(c.id)).toHaveLength(26);
  });

  it('parallel activations neither duplicate events nor collide on TaskIDs, and the numbers have no gaps', async () => {
    const tenantId = randomUUID();
    const contracts = await Promise.all(Array.from({ length: 5 }, () => h.rpc.ok(createContract, referenceContract(), { tenantId })));
    // every contract activated twice at the same time, all ten calls in flight together
    const results = await Promise.all(contracts.flatMap((c) => [c, c]).map((c) => h.rpc.call(activateContract, { id: c.id }, { tenantId })));
    expect(results.every((r) => r.ok)).toBe(true);
    const all = (await Promise.all(contracts.map((c) => listAll(c.id, tenantId)))).flat();
    expect(all).toHaveLength(5 * 26);
    const numbers = all.map((e) => Number(e.taskId.slice(4))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));
    // each contract's TaskIDs are one contiguous block (reserved in one counter update)
    for (const c of contracts) {
      const mine = all
        .filter((e) => e.contractId === c.id)
        .map((e) => Number(e.taskId.slice(4)))
        .sort((a, b) => a - b);
      expect(mine[mine.length - 1] - mine[0]).toBe(25);
    }
  });

  it('answers each of many concurrent activations of one tenant on its own: shared commits, separate errors', async () => {
    const tenantId = randomUUID();
    const good = await Promise.all(Array.from({ length: 8 }, () => h.rpc.ok(createContract, referenceContract(), { tenantId })));
    const underReview = await h.rpc.ok(createContract, referenceContract(), { tenantId });
    await h.rpc.ok(submitContract, { id: underReview.id }, { tenantId });
    const elsewhere = await h.rpc.ok(createContract, referenceContract());
    const calls = [...good.map((c) => c.id), underReview.id, elsewhere.id, randomUUID()];
    const results = await Promise.all(calls.map((id) => h.rpc.call(activateContract, { id }, { tenantId })));
    expect(results.slice(0, 8).every((r) => r.ok && r.data.status === 'active' && r.data.totalEvents === 26)).toBe(true);
    expect(results[8]).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
    // another tenant's contract, and one that does not exist, are not found
    expect(results[9]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(results[10]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await h.rpc.ok(getContract, { id: elsewhere.id })).status).toBe('draft');
    const all = (await Promise.all(good.map((c) => listAll(c.id, tenantId)))).flat();
    expect(all.map((e) => Number(e.taskId.slice(4))).sort((a, b) => a - b)).toEqual(Array.from({ length: 8 * 26 }, (_, i) => i + 1));
    const audit = await h.db.query(
      `SELECT count(*)::int AS n FROM status_history WHERE tenant_id = $1 AND from_status IS NULL AND reason = 'Event created at contract activation'`,
      [tenantId],
    );
    expect(audit.rows[0].n).toBe(8 * 26);
    const activated = await h.db.query(`SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND type = 'CONTRACT_ACTIVATED'`, [tenantId]);
    expect(activated.rows[0].n).toBe(8);
  });

  it('numbers past TSK-99999 without cutting digits, and announces each event with the TaskID it was stored with', async () => {
    const tenantId = randomUUID();
    await h.db.query(`INSERT INTO task_counters (tenant_id, last_value) VALUES ($1, 99998)`, [tenantId]);
    const c = await h.rpc.ok(createContract, referenceContract(), { tenantId });
    await h.rpc.ok(activateContract, { id: c.id }, { tenantId });
    const stored = (await listAll(c.id, tenantId)).map((e) => e.taskId).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
    expect(stored).toEqual(Array.from({ length: 26 }, (_, i) => `TSK-${String(99999 + i).padStart(5, '0')}`));
    expect(stored.slice(0, 2)).toEqual(['TSK-99999', 'TSK-100000']);
    const announced = await h.db.query(
      `SELECT item->>'taskId' AS announced, e.task_id AS stored
       FROM outbox o CROSS JOIN jsonb_array_elements(o.payload->'events') item JOIN contract_events e ON e.id = (item->>'eventId')::uuid
       WHERE o.tenant_id = $1 AND o.type = 'CONTRACT_EVENTS_CREATED'`,
      [tenantId],
    );
    expect(announced.rows).toHaveLength(26);
    expect(announced.rows.every((r) => r.announced === r.stored)).toBe(true);
  });

  it('writes activations bigger than a chunk, batched together, gap-free and each event announced once with its stored TaskID', async () => {
    const tenantId = randomUUID();
    // 700 + 450 events in one shared transaction: the chunks (ACTIVATION_CHUNK) cross from one contract into the other
    const [a, b] = await Promise.all(
      [700, 450].map((quantity) => h.rpc.ok(createContract, contractInput({ services: [{ name: 'Visit', quantity }] }), { tenantId })),
    );
    const [ctxA, ctxB] = [userContext(tenantId), userContext(tenantId, ['admin'], { id: randomUUID(), name: 'Ravi' })];
    const [ra, rb] = await h.app.get(Transactions).run(async (tx) => {
      const locked = await h.app.get(ContractRepository).lockMany(tx, tenantId, [a.id, b.id]);
      const byId = new Map(locked.map((c) => [c.id, c]));
      return h.app.get(ContractActivator).activateMany(tx, [
        { ctx: ctxA, contract: byId.get(a.id)! },
        { ctx: ctxB, contract: byId.get(b.id)! },
      ]);
    });
    expect([ra.totalEvents, rb.totalEvents]).toEqual([700, 450]);
    const rows = await h.db.query(
      `WITH announced AS (
         SELECT o.aggregate_id, o.correlation_id, o.actor, item
         FROM outbox o CROSS JOIN jsonb_array_elements(o.payload->'events') item
         WHERE o.tenant_id = $1 AND o.type = 'CONTRACT_EVENTS_CREATED')
       SELECT e.contract_id, e.task_id, a.item->>'taskId' AS announced, a.aggregate_id, a.correlation_id, a.actor->>'id' AS actor_id,
              (SELECT count(*)::int FROM status_history s WHERE s.tenant_id = e.tenant_id AND s.event_id = e.id AND s.from_status IS NULL) AS created
       FROM contract_events e LEFT JOIN announced a ON (a.item->>'eventId')::uuid = e.id
       WHERE e.tenant_id = $1`,
      [tenantId],
    );
    // One row per event: each is listed in exactly one announcement, its contract's.
    expect(rows.rows).toHaveLength(1150);
    expect(rows.rows.every((r) => r.aggregate_id === r.contract_id)).toBe(true);
    expect(rows.rows.every((r) => r.announced === r.task_id && r.created === 1)).toBe(true);
    const numbers = (contractId: string) =>
      rows.rows
        .filter((r) => r.contract_id === contractId)
        .map((r) => Number(r.task_id.slice(4)))
        .sort((x, y) => x - y);
    expect([...numbers(a.id), ...numbers(b.id)].sort((x, y) => x - y)).toEqual(Array.from({ length: 1150 }, (_, i) => i + 1));
    for (const [c, n] of [[a, 700] as const, [b, 450] as const]) {
      const mine = numbers(c.id);
      expect(mine[mine.length - 1] - mine[0]).toBe(n - 1);
      // each contract's events are announced in the name of the request that activated it
      const ctx = c === a ? ctxA : ctxB;
      expect(rows.rows.filter((r) => r.contract_id === c.id).every((r) => r.correlation_id === ctx.correlationId && r.actor_id === ctx.actor.id)).toBe(true);
    }
    const generated = await h.db.query(
      `SELECT aggregate_id, jsonb_array_length(payload->'eventIds') AS n FROM outbox WHERE tenant_id = $1 AND type = 'EVENT_INSTANCES_GENERATED'`,
      [tenantId],
    );
    expect(Object.fromEntries(generated.rows.map((r) => [r.aggregate_id, r.n]))).toEqual({ [a.id]: 700, [b.id]: 450 });
    // Chunks of 250 over 700 + 450 events: A's in 250, 250, 200, B's in 50 (sharing A's last chunk), 250, 150.
    const messages = await h.db.query(
      `SELECT aggregate_id, jsonb_array_length(payload->'events') AS n FROM outbox WHERE tenant_id = $1 AND type = 'CONTRACT_EVENTS_CREATED' ORDER BY seq`,
      [tenantId],
    );
    expect(messages.rows.map((r) => [r.aggregate_id, r.n])).toEqual([
      [a.id, 250],
      [a.id, 250],
      [a.id, 200],
      [b.id, 50],
      [b.id, 250],
      [b.id, 150],
    ]);
  });

  it('spreads quantity services evenly and follows an RRULE inside the period', async () => {
    const c = await h.rpc.ok(
      createContract,
      contractInput({
        services: [
          { name: 'Deep clean', quantity: 4 },
          { name: 'Inspection', rrule: 'FREQ=MONTHLY;BYMONTHDAY=15;INTERVAL=6' },
        ],
        billing: {
          mode: 'schedule',
          total: '900.00',
          currency: 'INR',
          milestones: [
            { title: 'Kick-off', amount: '300.00', dueDate: '2026-01-10' },
            { title: 'Mid-year', amount: '600.00', dueDate: '2026-06-30' },
          ],
        },
      }),
    );
    await h.rpc.ok(activateContract, { id: c.id });
    const events = await listAll(c.id);
    const dates = (title: string) => events.filter((e) => e.title.startsWith(title)).map((e) => local(e.scheduledDate));
    expect(dates('Deep clean')).toEqual(['2026-01-01', '2026-04-02', '2026-07-02', '2026-10-01']);
    expect(dates('Inspection')).toEqual(['2026-01-15', '2026-07-15']);
    expect(events.filter((e) => e.type === 'billing').map((e) => [e.title, local(e.scheduledDate), e.amount])).toEqual([
      ['Kick-off', '2026-01-10', '300.00'],
      ['Mid-year', '2026-06-30', '600.00'],
    ]);
  });

  it('refuses promises that do not add up or exceed the event limit, naming the field', async () => {
    const bad = await h.rpc.call(
      createContract,
      contractInput({ billing: { mode: 'schedule', total: '100.00', currency: 'INR', milestones: [{ title: 'A', amount: '99.99', dueDate: '2026-02-01' }] } }),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', errors: { 'billing.milestones': [expect.stringContaining('99.99')] } } });
    const tooMany = await h.rpc.call(
      createContract,
      contractInput({
        services: [
          { name: 'Daily', every: { unit: 'day', interval: 1 } },
          { name: 'More', quantity: 4700 },
        ],
      }),
    );
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const ruleAndCount = await h.rpc.call(createContract, contractInput({ services: [{ name: 'X', quantity: 2, rrule: 'FREQ=WEEKLY' }] }));
    expect(ruleAndCount).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', errors: { 'services.0.rrule': [expect.stringContaining('alone')] } } });
  });

  it('plans a quantity at a cadence: 12 monthly visits from the start date, a month apart', async () => {
    const c = await h.rpc.ok(
      createContract,
      contractInput({ startDate: '2026-01-31', endDate: '2027-01-30', services: [{ name: 'AMC visit', quantity: 12, every: { unit: 'month', interval: 1 } }] }),
    );
    expect((await h.rpc.ok(activateContract, { id: c.id })).totalEvents).toBe(12);
    const visits = (await listAll(c.id)).sort((a, b) => (a.sequenceNumber ?? 0) - (b.sequenceNumber ?? 0));
    expect(visits.map((e) => local(e.scheduledDate))).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
      '2026-10-31',
      '2026-11-30',
      '2026-12-31',
    ]);
    expect(visits.map((e) => e.title)).toEqual(Array.from({ length: 12 }, (_, i) => `AMC visit (${i + 1}/12)`));
    expect(visits.every((e) => e.totalOccurrences === 12)).toBe(true);
  });

  it('refuses a quantity at a cadence that does not fit before the end date, saying how many do', async () => {
    // one year from 1 January: the 13th monthly visit would fall on 1 January of the next year
    const r = await h.rpc.call(createContract, contractInput({ services: [{ name: 'Visit', quantity: 13, every: { unit: 'month', interval: 1 } }] }));
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        errors: { 'services.0.quantity': [expect.stringMatching(/13 visits every month .* do not fit before the end date 2026-12-31: only 12 do/)] },
      },
    });
  });
});
