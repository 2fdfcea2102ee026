import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { listEvents, recordEventPayment } from '@app/shared/api/events/contract-events.operations';
import {
  getContractSettings,
  listContractHistory,
  listContractPayments,
  renewContract,
  updateContractSettings,
} from '@app/shared/api/events/contract-lifecycle.operations';
import { activateContract, cancelContract, createContract, getContract } from '@app/shared/api/events/contracts.operations';
import type { CreateContractDto } from '@app/shared/api/events/contracts.dto';
import { FixedClock } from '@app/shared/time/clock';
import { EventScheduler } from '../src/scheduler/event-scheduler';
import { contractInput } from './support/contract-factory';
import { EventsHarness, startEventsHarness } from './support/events-harness';

/** Issue 14: contract status changes with history and events, renewal notices and renewals, payments. */
describe('contract lifecycle (fake clock)', () => {
  const clock = new FixedClock(new Date('2025-12-01T00:00:00Z'));
  let h: EventsHarness;

  beforeAll(async () => {
    h = await startEventsHarness({ clock });
    await h.db.query(`INSERT INTO tenants (id, name, timezone, locale) VALUES ($1, 'Lifecycle Ltd', 'Asia/Kolkata', 'en')`, [h.tenantId]);
  });

  afterAll(async () => {
    await h?.close();
  });

  const scheduler = () => h.app.get(EventScheduler);
  const outbox = async (type: string, aggregateId?: string) =>
    (
      await h.db.query(`SELECT payload, actor FROM outbox WHERE type = $1 AND ($2::text IS NULL OR aggregate_id = $2::text) ORDER BY seq`, [
        type,
        aggregateId ?? null,
      ])
    ).rows;
  const active = async (overrides: Parameters<typeof contractInput>[0] = {}) => {
    const c = await h.rpc.ok(createContract, contractInput(overrides));
    return h.rpc.ok(activateContract, { id: c.id });
  };

  it('records every status change in the contract history and announces it with who made it', async () => {
    const c = await h.rpc.ok(createContract, contractInput());
    await h.rpc.ok(activateContract, { id: c.id }, { actor: { type: 'vani', id: SYSTEM_ACTORS.vani.id, name: 'VaNi' } });
    await h.rpc.ok(cancelContract, { id: c.id, reason: 'customer left' });
    const history = await h.rpc.ok(listContractHistory, { id: c.id });
    expect(history.items.map((e) => [e.from, e.to, e.actor.type, e.source])).toEqual([
      ['draft', 'active', 'vani', 'vani'],
      ['active', 'cancelled', 'user', 'user'],
    ]);
    expect(history.items[0].actor).toEqual({ type: 'vani', id: SYSTEM_ACTORS.vani.id, name: 'VaNi' });
    expect(history.items[1]).toMatchObject({ reason: 'customer left', timeInPreviousStatus: expect.any(Number) });
    const changes = (await outbox('CONTRACT_STATUS_CHANGED', c.id)).map((r) => r.payload);
    expect(changes).toHaveLength(2);
    expect(changes[1]).toMatchObject({
      contractId: c.id,
      contractNumber: c.contractNumber,
      previousStatus: 'active',
      newStatus: 'cancelled',
      reason: 'customer left',
      changedBy: { type: 'user', name: 'Asha Admin' },
      source: 'user',
    });
    expect(changes[1].version).toBe((await h.rpc.ok(getContract, { id: c.id })).version);
  });

  it('announces the renewal once, N days before the end (tenant setting), across runs and replicas', async () => {
    expect(await h.rpc.ok(getContractSettings, {})).toEqual({ renewalNoticeDays: 30 });
    const c = await active({ endDate: '2026-12-31' });
    clock.set('2026-11-30T00:00:00Z'); // 31 days before the end in Kolkata
    expect((await scheduler().runOnce()).renewalNotices).toBe(0);
    await h.rpc.ok(updateContractSettings, { renewalNoticeDays: 45 });
    expect(await h.rpc.ok(getContractSettings, {})).toEqual({ renewalNoticeDays: 45 });
    const [a, b] = await Promise.all([scheduler().runOnce(), scheduler().runOnce()]);
    expect(a.renewalNotices + b.renewalNotices).toBeGreaterThanOrEqual(1);
    expect((await scheduler().runOnce()).renewalNotices).toBe(0);
    const notices = await outbox('CONTRACT_RENEWAL_UPCOMING', c.id);
    expect(notices).toHaveLength(1);
    expect(notices[0].payload).toMatchObject({ contractId: c.id, endDate: '2026-12-31', daysUntilEnd: 31, noticeDays: 45, customer: { name: 'Acme Foods' } });
    expect(notices[0].actor).toMatchObject({ type: 'system', name: 'System' });
    await h.rpc.ok(updateContractSettings, { renewalNoticeDays: 30 });
  });

  it('expires a contract with open events at its end date as System, with a history row and an event', async () => {
    const c = await active({ endDate: '2026-12-31', services: [{ name: 'Visit', quantity: 2 }] });
    const done = await active({ contractNumber: `DONE-${c.id.slice(0, 6)}`, endDate: '2026-12-31' }); // no events: completed
    clock.set('2027-01-01T12:00:00Z'); // 17:30 on 1 January in Kolkata: the last day is over
    const run = await scheduler().runOnce();
    expect(run.contractsClosed).toBeGreaterThanOrEqual(2);
    expect((await h.rpc.ok(getContract, { id: c.id })).status).toBe('expired');
    expect((await h.rpc.ok(getContract, { id: done.id })).status).toBe('completed');
    const [expired] = await outbox('CONTRACT_STATUS_CHANGED', c.id).then((rows) => rows.filter((r) => r.payload.newStatus === 'expired'));
    expect(expired.payload).toMatchObject({
      previousStatus: 'active',
      newStatus: 'expired',
      reason: 'Auto: end date passed with open events',
      changedBy: { type: 'system', id: SYSTEM_ACTORS.system.id, name: 'System' },
      source: 'system',
    });
    expect(expired.actor).toMatchObject({ type: 'system' });
    const history = await h.rpc.ok(listContractHistory, { id: c.id });
    expect(history.items.at(-1)).toMatchObject({ from: 'active', to: 'expired', actor: { type: 'system', name: 'System' }, source: 'system' });
    expect((await scheduler().runOnce()).contractsClosed).toBe(0);
  });

  it('renews into a linked draft with promises and dates shifted, once', async () => {
    clock.set('2027-01-02T00:00:00Z');
    const c = await active({
      contractNumber: `AMC-${Date.now()}`,
      endDate: '2026-12-31',
      services: [{ name: 'Visit', every: { unit: 'month', interval: 3 } }],
      billing: {
        mode: 'schedule',
        total: '300.00',
        currency: 'INR',
        milestones: [
          { title: 'Half', amount: '150.00', dueDate: '2026-01-01' },
          { title: 'Rest', amount: '150.00', dueDate: '2026-07-01' },
        ],
      },
    } as Partial<CreateContractDto>);
    expect(await h.rpc.call(renewContract, { id: (await h.rpc.ok(createContract, contractInput())).id })).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE' },
    });
    const renewal = await h.rpc.ok(renewContract, { id: c.id });
    expect(renewal).toMatchObject({
      status: 'draft',
      contractNumber: `${c.contractNumber}-R`,
      startDate: '2027-01-01',
      endDate: '2027-12-31',
      renewedFromId: c.id,
      renewedById: null,
      services: c.services,
      customer: c.customer,
    });
    expect(renewal.billing!.milestones!.map((m) => m.dueDate)).toEqual(['2027-01-01', '2027-07-01']);
    expect((await h.rpc.ok(getContract, { id: c.id })).renewedById).toBe(renewal.id);
    expect((await h.rpc.ok(renewContract, { id: c.id })).id).toBe(renewal.id);
    const renewed = await outbox('CONTRACT_RENEWED', c.id);
    expect(renewed).toHaveLength(1);
    expect(renewed[0].payload).toMatchObject({ contractId: renewal.id, renewedFromId: c.id, startDate: '2027-01-01', endDate: '2027-12-31' });
    // the renewal activates like any draft
    expect((await h.rpc.ok(activateContract, { id: renewal.id })).totalEvents).toBe(4 + 2);
  });

  it('adds partial payments exactly, refuses overpaying with 422, and records a reference once', async () => {
    const c = await active({ billing: { mode: 'prepaid', total: '1000.00', currency: 'INR' } } as Partial<CreateContractDto>);
    const [bill] = (await h.rpc.ok(listEvents, { contractId: c.id, type: 'billing' })).items;
    const first = await h.rpc.ok(recordEventPayment, { id: bill.id, amount: '333.33', reference: 'UTR-1', method: 'upi', version: bill.version });
    expect(first.status).toBe('partial_payment');
    // the same reference again: the same payment, whatever version the retry carries
    const again = await h.rpc.ok(recordEventPayment, { id: bill.id, amount: '333.33', reference: 'UTR-1', method: 'upi', version: bill.version });
    expect(again.version).toBe(first.version);
    expect(await h.rpc.call(recordEventPayment, { id: bill.id, amount: '10.00', reference: 'UTR-1', version: first.version })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await h.rpc.call(recordEventPayment, { id: bill.id, amount: '666.68', reference: 'UTR-2', version: first.version })).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE', details: { outstanding: '666.67' } },
    });
    const second = await h.rpc.ok(recordEventPayment, {
      id: bill.id,
      amount: '666.67',
      reference: 'UTR-2',
      method: 'bank_transfer',
      paidAt: '2026-12-30T10:00:00.000Z',
      version: first.version,
    });
    expect(second.status).toBe('paid');
    const recorded = (await outbox('PAYMENT_RECORDED')).map((r) => r.payload).filter((p) => p.contractId === c.id);
    expect(recorded).toHaveLength(2);
    expect(recorded[0]).toMatchObject({
      eventId: bill.id,
      amount: '333.33',
      currency: 'INR',
      method: 'upi',
      reference: 'UTR-1',
      totalPaid: '333.33',
      balance: '666.67',
      contractTotalPaid: '333.33',
      contractBalance: '666.67',
      eventStatus: 'partial_payment',
      customer: { name: 'Acme Foods' },
      contract: { id: c.id, contractNumber: c.contractNumber },
    });
    expect(recorded[1]).toMatchObject({ amount: '666.67', totalPaid: '1000.00', balance: '0.00', contractBalance: '0.00', paidAt: '2026-12-30T10:00:00.000Z' });
    const payments = await h.rpc.ok(listContractPayments, { id: c.id });
    expect(payments).toMatchObject({ totalBilled: '1000.00', totalPaid: '1000.00', balance: '0.00' });
    expect(payments.items.map((p) => [p.amount, p.method, p.reference])).toEqual([
      ['333.33', 'upi', 'UTR-1'],
      ['666.67', 'bank_transfer', 'UTR-2'],
    ]);
  });
});
