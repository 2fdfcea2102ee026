import { CreateContractDto } from '@app/shared/api/events/contracts.dto';
import type { CheckedJson } from './support/documented-answers';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FixedClock } from '@app/shared/time/clock';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { contractInput } from '../apps/events/test/support/contract-factory';
import { EventScheduler } from '../apps/events/src/scheduler/event-scheduler';
import { FakeProvider, RecordedRequest } from '../apps/jtd-dispatcher/test/support/fake-provider';
import { startStack, Stack } from './support/stack';

const localDay = (iso: string) => new Date(iso).toLocaleDateString('en-CA', { timeZone: 'Asia/Kolkata' });

/**
 * Issue 6: "a contract activated in the events service produces the configured reminder jobs end to end".
 * Nothing is published by the test: the tenant, the contract and the due moves all come from the real
 * events service, and the jobs leave through the real dispatcher to the fake MSG91.
 */
describe('contract in the events service → JTD reminder jobs → provider', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let fake: FakeProvider;
  // The events service's "today"; the contract starts a month later, so nothing is due until the clock moves.
  const clock = new FixedClock(new Date('2027-03-01T06:00:00Z'));
  const platform = authHeader({ tenantId: randomUUID(), userId: randomUUID(), roles: ['platform_admin'] });
  let tenantId: string;
  let admin: Record<string, string>;
  const customer = { name: 'Meera Iyer', email: `meera.${randomUUID().slice(0, 8)}@example.com`, phone: '+919845012345' };

  const http: Stack['http'] = (...request) => stack.http(...request);
  const jobsOf = async (sourceType: string, sourceId: string) =>
    (await http('GET', `/jtd?sourceType=${sourceType}&sourceId=${sourceId}`, admin)).body.items as CheckedJson[];
  const toCustomer = (r: RecordedRequest) => r.rawBody.includes(customer.email) || r.rawBody.includes(customer.phone.slice(1));

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    stack = await startStack(env, {
      services: ['events', 'jtd-dispatcher'],
      events: { clock },
      env: {
        // The test runs the scheduler itself, after moving the clock.
        events: { EVENT_SCHEDULER_ENABLED: 'false' },
        'jtd-dispatcher': { ...fake.env(), JTD_POLL_INTERVAL_MS: '200' },
        gateway: { RATE_LIMIT_PER_MINUTE: '100000' },
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.stop();
    await env?.dispose();
  });

  it('registers the tenant in both services and lets its admin enable SMS', async () => {
    const created = await http('POST', '/tenants', platform, { name: 'Iyer Cooling', timezone: 'Asia/Kolkata' });
    expect(created.status).toBe(201);
    tenantId = created.body.id;
    admin = authHeader({ tenantId, userId: randomUUID(), roles: ['admin'] });
    // TENANT_CREATED reached the dispatcher: its config carries the tenant's timezone, not the UTC default.
    const settings = await eventually(async () => {
      const r = await http('GET', '/settings/jtd', admin);
      expect(r.body.timezone).toBe('Asia/Kolkata');
      return r.body;
    });
    expect(settings.channelsEnabled).toMatchObject({ email: true, sms: false });
    const upd = await http('PUT', '/settings/jtd', admin, {
      channelsEnabled: { sms: true },
      quietHoursStart: null,
      quietHoursEnd: null,
      version: settings.version,
    });
    expect(upd.status).toBe(200);
  });

  let contractId: string;
  let contractNumber: string;
  let events: CheckedJson[];

  it('activating a contract sends contract_created to its customer, once', async () => {
    const draft = await http(
      'POST',
      '/contracts',
      admin,
      contractInput({
        title: 'Chiller AMC',
        customer,
        startDate: '2027-04-01',
        endDate: '2028-03-31',
        services: [{ name: 'Quarterly service', every: { unit: 'month', interval: 3 } }],
        billing: { mode: 'emi', total: '40000.00', currency: 'INR', installments: 2, every: { unit: 'month', interval: 6 } },
      } as Partial<CreateContractDto>),
    );
    expect(draft.status).toBe(201);
    contractId = draft.body.id;
    contractNumber = draft.body.contractNumber;
    const active = await http('POST', `/contracts/${contractId}/activate`, admin);
    expect(active.status).toBe(200);
    expect(active.body.status).toBe('active');
    events = (await http('GET', `/events?contractId=${contractId}&limit=50`, admin)).body.items;
    expect(events.filter((e) => e.type === 'service').length).toBeGreaterThanOrEqual(4);
    expect(events.filter((e) => e.type === 'billing')).toHaveLength(2);

    const [job] = await eventually(async () => {
      const items = await jobsOf('contract_created', contractId);
      expect(items.map((j) => [j.channel, j.status])).toEqual([['email', 'sent']]);
      return items;
    });
    const sent = fake.of('email').filter((r) => toCustomer(r) && r.body.template_id === 'contract_created_email_v1');
    expect(sent).toHaveLength(1);
    expect(sent[0].problems).toEqual([]);
    expect(sent[0].headers.authkey).toBe(fake.authKey);
    expect(sent[0].body.recipients[0]).toMatchObject({
      to: [{ email: customer.email, name: customer.name }],
      variables: {
        customer_name: customer.name,
        contract_number: contractNumber,
        contract_title: 'Chiller AMC',
        start_date: '2027-04-01',
        end_date: '2028-03-31',
      },
    });
    expect(job.providerMessageId).toMatch(/^email-/);
  });

  it('events the scheduler makes due become service_reminder / payment_due jobs on every enabled channel, each sent exactly once', async () => {
    // Nothing is due yet: the scheduler at "today" moves nothing, and no reminder exists.
    const scheduler = stack.apps.events!.get(EventScheduler);
    expect((await scheduler.runOnce()).due).toBe(0);

    // Two days before the first visit and the first installment (both on the start date): inside the
    // 7-day lead window; everything later stays out of it.
    const first = Math.min(...events.map((e) => new Date(e.scheduledDate).getTime()));
    clock.set(new Date(first - 2 * 86400_000));
    const inWindow = events.filter((e) => new Date(e.scheduledDate).getTime() <= clock.now().getTime() + 7 * 86400_000);
    const dueService = inWindow.filter((e) => e.type === 'service');
    const dueBilling = inWindow.filter((e) => e.type === 'billing');
    expect(dueService).toHaveLength(1);
    expect(dueBilling).toHaveLength(1);
    const run = await scheduler.runOnce();
    expect(run.due).toBe(inWindow.length);
    // A second pass (another replica, the next tick) moves nothing twice.
    expect((await scheduler.runOnce()).due).toBe(0);

    const expectSent = async (sourceType: string, eventId: string) =>
      eventually(async () => {
        const items = await jobsOf(sourceType, eventId);
        expect(Object.fromEntries(items.map((j) => [j.channel, j.status]))).toEqual({ email: 'sent', sms: 'sent' });
        return items;
      });
    const service = await expectSent('service_reminder', dueService[0].id);
    const billing = await expectSent('payment_due', dueBilling[0].id);
    // The customer reads the day in the tenant's timezone (the stored instant is midnight in Kolkata).
    const serviceDate = localDay(dueService[0].scheduledDate);
    const billingDate = localDay(dueBilling[0].scheduledDate);
    expect(serviceDate).toBe('2027-04-01');

    const byTemplate = (t: string) => fake.requests.filter((r) => toCustomer(r) && r.body?.template_id === t);
    const email = byTemplate('service_reminder_email_v1');
    expect(email).toHaveLength(1);
    expect(email[0]).toMatchObject({ method: 'POST', path: '/api/v5/email/send', problems: [] });
    expect(email[0].body.recipients[0]).toMatchObject({
      to: [{ email: customer.email }],
      variables: { customer_name: customer.name, service_type: dueService[0].title, service_date: serviceDate, tenant_name: 'Chiller AMC' },
    });
    const sms = byTemplate('service_reminder_sms_v1');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ method: 'POST', path: '/api/v5/flow', problems: [] });
    expect(sms[0].body.recipients[0]).toMatchObject({ mobiles: '919845012345', service_type: dueService[0].title, service_date: serviceDate });

    const payEmail = byTemplate('payment_due_email_v1');
    expect(payEmail).toHaveLength(1);
    expect(payEmail[0].body.recipients[0].variables).toMatchObject({
      customer_name: customer.name,
      amount: `INR ${dueBilling[0].amount}`,
      due_date: billingDate,
    });
    const paySms = byTemplate('payment_due_sms_v1');
    expect(paySms).toHaveLength(1);
    expect(paySms[0].body.recipients[0]).toMatchObject({ mobiles: '919845012345', amount: `INR ${dueBilling[0].amount}`, due_date: billingDate });

    // Each job recorded the id the provider answered for it, and nothing else went to this customer.
    const ids = [...service, ...billing].map((j) => j.providerMessageId);
    expect(new Set(ids).size).toBe(4);
    expect(ids.every((id) => /^(email|sms)-/.test(id))).toBe(true);
    const db = stack.apps['jtd-dispatcher']!.get(DataSource);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM jobs WHERE tenant_id = $1`, [tenantId]);
    expect(n).toBe(5);
    expect(fake.requests.filter(toCustomer)).toHaveLength(5);
    const later = inWindow.length === events.length ? [] : events.filter((e) => !inWindow.includes(e));
    for (const e of later) expect(await jobsOf(e.type === 'billing' ? 'payment_due' : 'service_reminder', e.id)).toEqual([]);
  });
});
