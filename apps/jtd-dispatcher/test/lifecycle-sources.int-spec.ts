import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { publishRaw, testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { FakeProvider } from './support/fake-provider';
import { JtdInstance, startDispatcher, tenantWithAllChannels } from './support/jtd-harness';

/** Issue 14: payment_received, contract_signed and service_scheduled are triggered by the contract lifecycle. */
describe('JTD jobs from the contract lifecycle', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let d: JtdInstance;
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));
  let tenantId: string;
  const customer = { id: randomUUID(), name: 'Meera', email: 'meera@example.com', phone: '+919844444444' };

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    d = await startDispatcher(env, fake, clock);
    tenantId = await tenantWithAllChannels(d.db);
  });

  afterAll(async () => {
    await d?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  const jobsOf = (sourceType: string) =>
    d.db.query(
      `SELECT channel_code, status_code, source_id, performed_by_type, performed_by_name FROM jobs WHERE tenant_id = $1 AND source_type_code = $2 ORDER BY channel_code, created_at`,
      [tenantId, sourceType],
    );

  it('sends payment_received once per payment, with the amount, the running total and the balance, performed by whoever recorded it', async () => {
    const contractId = randomUUID();
    const paymentId = randomUUID();
    const e = testEnvelope(
      'PAYMENT_RECORDED',
      {
        paymentId,
        contractId,
        contract: { id: contractId, contractNumber: 'CN-77', title: 'AMC' },
        customer,
        eventId: randomUUID(),
        taskId: 'TSK-00042',
        eventTitle: 'Installment 1 of 4',
        amount: '333.33',
        currency: 'INR',
        method: 'bank_transfer',
        reference: 'UTR-9',
        paidAt: '2026-11-21T10:00:00.000Z',
        totalPaid: '333.33',
        balance: '666.67',
        contractTotalPaid: '333.33',
        contractBalance: '9666.70',
        eventStatus: 'partial_payment',
        recordedBy: { ...SYSTEM_ACTORS.vani },
      },
      { tenantId, aggregateId: contractId, actor: { ...SYSTEM_ACTORS.vani } },
    );
    await publishRaw(env, [e, { ...e, id: randomUUID() }]);
    const jobs = await eventually(async () => {
      const rows = await jobsOf('payment_received');
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(jobs[0]).toMatchObject({ channel_code: 'email', source_id: paymentId, performed_by_type: 'vani', performed_by_name: 'VaNi' });
    await d.worker.tick();
    const sent = fake.of('email').at(-1)!;
    expect(sent.body.recipients[0].variables).toMatchObject({
      customer_name: 'Meera',
      amount: 'INR 333.33',
      method: 'bank transfer',
      reference_note: ', ref UTR-9',
      invoice_number: 'TSK-00042',
      total_paid: 'INR 333.33',
      balance: 'INR 666.67',
      contract_number: 'CN-77',
    });
  });

  it('sends contract_signed when a booking is approved into an active contract, and nothing on other moves', async () => {
    const contractId = randomUUID();
    const change = (previousStatus: string, newStatus: string, version: number) =>
      testEnvelope(
        'CONTRACT_STATUS_CHANGED',
        {
          contractId,
          contractNumber: 'CN-78',
          title: 'AMC Gold',
          customer,
          previousStatus,
          newStatus,
          changedBy: { type: 'user', id: randomUUID(), name: 'Asha' },
          source: 'user',
          version,
        },
        { tenantId, aggregateId: contractId },
      );
    await publishRaw(env, [change('draft', 'pending_review', 2), change('pending_review', 'active', 3)]);
    const jobs = await eventually(async () => {
      const rows = await jobsOf('contract_signed');
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(jobs[0]).toMatchObject({ channel_code: 'email', source_id: contractId });
  });

  it('sends service_scheduled from the README example of an external producer (JTD_REQUESTED), on email and SMS', async () => {
    const requestId = randomUUID();
    await publishRaw(env, [
      testEnvelope(
        'JTD_REQUESTED',
        {
          requestId,
          eventType: 'notification',
          sourceType: 'service_scheduled',
          sourceId: 'FS-2026-1182',
          recipient: { type: 'customer', name: 'Meera', email: 'meera@example.com', phone: '+919844444444' },
          variables: { customer_name: 'Meera', service_date: '2026-11-25 10:00' },
        },
        { tenantId, source: 'field-service-sync' },
      ),
    ]);
    const jobs = await eventually(async () => {
      const rows = await jobsOf('service_scheduled');
      expect(rows).toHaveLength(2);
      return rows;
    });
    expect(jobs.map((j: { channel_code: string }) => j.channel_code)).toEqual(['email', 'sms']);
    await d.worker.tick();
    expect(JSON.stringify(fake.of('email').at(-1)!.body)).toContain('2026-11-25 10:00');
    expect(JSON.stringify(fake.of('sms').at(-1)!.body)).toContain('2026-11-25 10:00');
  });

  it('tells the account manager in the app that a contract ends soon (CONTRACT_RENEWAL_UPCOMING), once', async () => {
    const contractId = randomUUID();
    const accountManagerId = randomUUID();
    const e = testEnvelope(
      'CONTRACT_RENEWAL_UPCOMING',
      { contractId, contractNumber: 'CN-79', title: 'AMC Gold', customer, endDate: '2026-12-31', daysUntilEnd: 30, noticeDays: 30, accountManagerId },
      { tenantId, aggregateId: contractId },
    );
    await publishRaw(env, [e, { ...e, id: randomUUID() }]);
    const jobs = await eventually(async () => {
      const rows = await d.db.query(`SELECT channel_code, recipient_id FROM jobs WHERE tenant_id = $1 AND source_id = $2`, [tenantId, `renewal:${contractId}`]);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(jobs[0]).toMatchObject({ channel_code: 'inapp', recipient_id: accountManagerId });
  });
});
