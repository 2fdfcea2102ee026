import { randomUUID } from 'node:crypto';
import { captureEvents, CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import type { ContractStatusHistoryEntryView } from '@app/shared/api/events/contract-lifecycle.dto';
import type { CreateContractDto } from '@app/shared/api/events/contracts.dto';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { FixedClock } from '@app/shared/time/clock';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { contractInput } from '../apps/events/test/support/contract-factory';
import { EventScheduler } from '../apps/events/src/scheduler/event-scheduler';
import { FakeProvider } from '../apps/jtd-dispatcher/test/support/fake-provider';
import { startStack, Stack } from './support/stack';

/**
 * Issue 14 end to end: a contract's whole life through the gateway, the events taken from the broker as a
 * consumer sees them: review and activation, payments (PAYMENT_RECORDED → payment_received to the customer),
 * the renewal notice and the expiry at the end date by the scheduler (fixed clock), the tickets read model
 * refusing work on the expired contract, the renewal.
 */
describe('contract lifecycle through the gateway and the broker', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let fake: FakeProvider;
  let capture: CapturedEvents;
  const clock = new FixedClock(new Date('2026-01-05T06:00:00Z'));
  let admin: Record<string, string>;
  const userId = randomUUID();
  const customer = { name: 'Meera Iyer', email: `meera.${randomUUID().slice(0, 8)}@example.com` };
  const http: Stack['http'] = (...request) => stack.http(...request);

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    capture = await captureEvents(env, ['CONTRACT_STATUS_CHANGED', 'PAYMENT_RECORDED', 'CONTRACT_RENEWAL_UPCOMING', 'CONTRACT_RENEWED']);
    stack = await startStack(env, {
      events: { clock },
      env: {
        events: { EVENT_SCHEDULER_ENABLED: 'false' },
        'jtd-dispatcher': { ...fake.env(), JTD_POLL_INTERVAL_MS: '200' },
        gateway: { RATE_LIMIT_PER_MINUTE: '100000' },
      },
    });
    const tenantId = await stack.registerTenant();
    admin = authHeader({ tenantId, userId, roles: ['admin'], name: 'Asha Admin' });
  });

  afterAll(async () => {
    await capture?.close();
    await stack?.close();
    await fake?.stop();
    await env?.dispose();
  });

  let contract: ContractView;
  let serviceEventId: string;

  it('announces every review step and the approval as CONTRACT_STATUS_CHANGED with who made it', async () => {
    const draft = await http(
      'POST',
      '/contracts',
      admin,
      contractInput({
        customer,
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        services: [{ name: 'Half-yearly service', quantity: 2 }],
        billing: { mode: 'prepaid', total: '1000.00', currency: 'INR' },
      } as Partial<CreateContractDto>),
    );
    expect(draft.status).toBe(201);
    contract = draft.body;
    expect(contract).toMatchObject({ renewedFromId: null, renewedById: null });
    expect((await http('POST', `/contracts/${contract.id}/submit`, admin)).status).toBe(200);
    expect((await http('POST', `/contracts/${contract.id}/approve`, admin, { notes: 'ok' })).body.status).toBe('active');
    const approved = await capture.waitFor('CONTRACT_STATUS_CHANGED', (e) => e.payload.contractId === contract.id && e.payload.newStatus === 'active');
    expect(approved.payload).toMatchObject({
      contractNumber: contract.contractNumber,
      previousStatus: 'pending_review',
      newStatus: 'active',
      changedBy: { type: 'user', id: userId, name: 'Asha Admin' },
      source: 'user',
      customer: { name: customer.name },
    });
    expect(approved.actor).toMatchObject({ type: 'user', id: userId });
    const submitted = capture.ofType('CONTRACT_STATUS_CHANGED').filter((e) => e.payload.contractId === contract.id);
    expect(submitted.map((e) => `${e.payload.previousStatus}>${e.payload.newStatus}`)).toEqual(['draft>pending_review', 'pending_review>active']);
    serviceEventId = (await http('GET', `/events?contractId=${contract.id}&type=service`, admin)).body.items[0].id;
  });

  it('adds partial payments, refuses overpaying (422), records a reference once, and tells the customer', async () => {
    const [bill] = (await http('GET', `/events?contractId=${contract.id}&type=billing`, admin)).body.items;
    const first = await http('POST', `/events/${bill.id}/payments`, admin, { amount: '400.10', reference: 'UTR-1', method: 'upi', version: bill.version });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('partial_payment');
    const again = await http('POST', `/events/${bill.id}/payments`, admin, { amount: '400.10', reference: 'UTR-1', method: 'upi', version: bill.version });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(first.body.version);
    const over = await http('POST', `/events/${bill.id}/payments`, admin, { amount: '599.91', reference: 'UTR-2', version: first.body.version });
    expect(over.status).toBe(422);
    expect(over.body.detail).toContain('599.90');
    const bad = await http('POST', `/events/${bill.id}/payments`, admin, { amount: '1.00', method: 'barter', version: first.body.version });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('method');
    const rest = await http('POST', `/events/${bill.id}/payments`, admin, {
      amount: '599.90',
      reference: 'UTR-2',
      method: 'cash',
      version: first.body.version,
    });
    expect(rest.body.status).toBe('paid');

    const p1 = await capture.waitFor('PAYMENT_RECORDED', (e) => e.payload.reference === 'UTR-1' && e.payload.contractId === contract.id);
    const p2 = await capture.waitFor('PAYMENT_RECORDED', (e) => e.payload.reference === 'UTR-2' && e.payload.contractId === contract.id);
    expect(capture.ofType('PAYMENT_RECORDED').filter((e) => e.payload.contractId === contract.id)).toHaveLength(2);
    expect(p1.payload).toMatchObject({ eventId: bill.id, amount: '400.10', method: 'upi', totalPaid: '400.10', balance: '599.90', currency: 'INR' });
    expect(p2.payload).toMatchObject({ amount: '599.90', method: 'cash', totalPaid: '1000.00', balance: '0.00', contractBalance: '0.00', eventStatus: 'paid' });
    expect(p2.payload.paidAt).toBe(clock.now().toISOString());

    const jobs = await eventually(async () => {
      const r = await http('GET', `/jtd?sourceType=payment_received&sourceId=${p1.payload.paymentId}`, admin);
      expect(r.body.items).toHaveLength(1);
      return r.body.items;
    });
    expect(jobs[0]).toMatchObject({ channel: 'email', sourceType: 'payment_received' });
    const payments = await http('GET', `/contracts/${contract.id}/payments`, admin);
    expect(payments.body).toMatchObject({ totalBilled: '1000.00', totalPaid: '1000.00', balance: '0.00' });
    // contract_signed went to the customer when the booking was approved
    expect((await http('GET', `/jtd?sourceType=contract_signed&sourceId=${contract.id}`, admin)).body.items).toHaveLength(1);
  });

  it('sends the renewal notice once and expires the contract at its end date as System; the tickets service learns it', async () => {
    const scheduler = stack.apps.events!.get(EventScheduler);
    clock.set('2026-12-05T06:00:00Z'); // 26 days before the end
    expect((await scheduler.runOnce()).renewalNotices).toBe(1);
    expect((await scheduler.runOnce()).renewalNotices).toBe(0);
    const notice = await capture.waitFor('CONTRACT_RENEWAL_UPCOMING', (e) => e.payload.contractId === contract.id);
    expect(notice.payload).toMatchObject({ endDate: '2026-12-31', daysUntilEnd: 26, noticeDays: 30 });
    expect(notice.actor).toMatchObject({ type: 'system', name: 'System' });

    clock.set('2027-01-01T06:00:00Z'); // 11:30 on 1 January in Kolkata
    expect((await scheduler.runOnce()).contractsClosed).toBe(1);
    const expired = await capture.waitFor('CONTRACT_STATUS_CHANGED', (e) => e.payload.contractId === contract.id && e.payload.newStatus === 'expired');
    expect(expired.payload).toMatchObject({ previousStatus: 'active', changedBy: { type: 'system', name: 'System' }, source: 'system' });
    const history = await http('GET', `/contracts/${contract.id}/history`, admin);
    expect((history.body.items as ContractStatusHistoryEntryView[]).map((h) => [h.from, h.to, h.actor.type])).toEqual([
      ['draft', 'pending_review', 'user'],
      ['pending_review', 'active', 'user'],
      ['active', 'expired', 'system'],
    ]);
    // the tickets read model knows: no new visit on an expired contract
    await eventually(async () => {
      const r = await http('POST', '/tickets', admin, { contractId: contract.id, eventIds: [serviceEventId] });
      expect(r.status).toBe(422);
      expect(r.body.detail).toContain('expired');
    });
  });

  it('renews the expired contract into a linked draft, once', async () => {
    const renewal = await http('POST', `/contracts/${contract.id}/renew`, admin, {});
    expect(renewal.status).toBe(201);
    expect(renewal.body).toMatchObject({
      status: 'draft',
      renewedFromId: contract.id,
      startDate: '2027-01-01',
      endDate: '2027-12-31',
      services: contract.services,
    });
    expect((await http('GET', `/contracts/${contract.id}`, admin)).body.renewedById).toBe(renewal.body.id);
    expect((await http('POST', `/contracts/${contract.id}/renew`, admin, {})).body.id).toBe(renewal.body.id);
    const renewed = await capture.waitFor('CONTRACT_RENEWED', (e) => e.payload.renewedFromId === contract.id);
    expect(renewed.payload).toMatchObject({ contractId: renewal.body.id, renewedFromNumber: contract.contractNumber, renewedBy: userId });
  });
});
