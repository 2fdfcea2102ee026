import { randomUUID } from 'node:crypto';
import { captureEvents, CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { publishRaw, testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { TenantConfigRepository } from '../src/settings/tenant-config.repository';
import { FixedClock } from '@app/shared/time/clock';
import { FakeProvider } from './support/fake-provider';
import { JtdInstance, startDispatcher, tenantWithAllChannels } from './support/jtd-harness';

/** Domain events of other services → jobs through the source types (events published by a test producer). */
describe('JTD jobs from domain events', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let d: JtdInstance;
  let capture: CapturedEvents;
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));
  let tenantId: string;
  const customer = { id: randomUUID(), name: 'Meera', email: 'meera@example.com', phone: '+919844444444' };

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    d = await startDispatcher(env, fake, clock);
    tenantId = await tenantWithAllChannels(d.db);
    capture = await captureEvents(env, ['JTD_STATUS_CHANGED']);
  });

  afterAll(async () => {
    await capture?.close();
    await d?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  const jobsOf = (
    sourceType: string,
  ): Promise<Array<{ channel_code: string; status_code: string; scheduled_at: Date; next_attempt_at: Date; source_id: string; performed_by_type: string }>> =>
    d.db.query(
      `SELECT channel_code, status_code, scheduled_at, next_attempt_at, source_id, performed_by_type FROM jobs WHERE tenant_id = $1 AND source_type_code = $2 ORDER BY channel_code, created_at`,
      [tenantId, sourceType],
    );

  it('sends contract_created to the customer when a contract is activated, once per channel however often the event arrives', async () => {
    const contractId = randomUUID();
    const e = testEnvelope(
      'CONTRACT_ACTIVATED',
      {
        contractId,
        contractNumber: 'CN-2026-0042',
        title: 'AMC Gold',
        customer,
        startDate: '2026-12-01',
        endDate: '2027-11-30',
        timezone: 'Asia/Kolkata',
        totalEvents: 12,
        activatedAt: clock.now().toISOString(),
      },
      { tenantId, aggregateId: contractId },
    );
    await publishRaw(env, [e, { ...e, id: randomUUID() }]);
    const jobs = await eventually(async () => {
      const rows = await jobsOf('contract_created');
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(jobs[0]).toMatchObject({ channel_code: 'email', source_id: contractId });
    await d.worker.tick();
    const req = fake.of('email').at(-1)!;
    expect(req.body.recipients[0].variables).toMatchObject({ contract_number: 'CN-2026-0042', customer_name: 'Meera' });
    await capture.waitFor('JTD_STATUS_CHANGED', (x) => x.payload.sourceId === contractId && x.payload.newStatus === 'sent');
  });

  it('schedules an appointment reminder at start minus the tenant lead time, and moves it when the appointment is rescheduled', async () => {
    const appointmentId = randomUUID();
    const startAt = '2026-11-25T10:00:00.000Z';
    await publishRaw(env, [
      testEnvelope(
        'APPOINTMENT_CREATED',
        {
          appointmentId,
          contractId: randomUUID(),
          eventIds: [],
          startAt,
          endAt: '2026-11-25T11:00:00.000Z',
          timezone: 'Asia/Kolkata',
          assigneeIds: [],
          status: 'scheduled',
          customer,
        },
        { tenantId, aggregateId: appointmentId, source: 'tickets' },
      ),
    ]);
    const reminders = await eventually(async () => {
      const rows = await jobsOf('appointment_reminder');
      expect(rows.length).toBe(3);
      return rows;
    });
    // Default lead time 1440 min: the day before at the same time.
    expect(reminders.every((r) => r.status_code === 'scheduled' && new Date(r.scheduled_at).toISOString() === '2026-11-24T10:00:00.000Z')).toBe(true);
    // appointment_created is an action type: without VaNi it waits for a person.
    expect((await jobsOf('appointment_created')).map((r) => r.status_code)).toEqual(['pending', 'pending']);

    const newStartAt = '2026-11-26T12:00:00.000Z';
    await publishRaw(env, [
      testEnvelope(
        'APPOINTMENT_RESCHEDULED',
        {
          appointmentId,
          contractId: randomUUID(),
          previousStartAt: startAt,
          previousEndAt: '2026-11-25T11:00:00.000Z',
          newStartAt,
          newEndAt: '2026-11-26T13:00:00.000Z',
          timezone: 'Asia/Kolkata',
          reason: 'customer travelling',
          rescheduledAt: '2026-11-22T06:00:00.000Z',
          customer,
        },
        { tenantId, aggregateId: appointmentId, source: 'tickets' },
      ),
    ]);
    await eventually(async () => {
      const rows = await jobsOf('appointment_reminder');
      expect(rows.filter((r) => r.status_code === 'cancelled')).toHaveLength(3);
      const live = rows.filter((r) => r.status_code === 'scheduled');
      expect(live).toHaveLength(3);
      expect(live.every((r) => new Date(r.scheduled_at).toISOString() === '2026-11-25T12:00:00.000Z')).toBe(true);
    });
  });

  it('sends service_completed when a ticket is completed', async () => {
    const ticketId = randomUUID();
    await publishRaw(env, [
      testEnvelope(
        'SERVICE_TICKET_COMPLETED',
        { ticketId, ticketNumber: 'TKT-2026-0007', contractId: randomUUID(), eventIds: [], completedAt: '2026-11-22T05:00:00Z', evidence: [], customer },
        { tenantId, aggregateId: ticketId, source: 'tickets' },
      ),
    ]);
    await eventually(async () => expect(await jobsOf('service_completed')).toHaveLength(1));
    await d.worker.tick();
    expect((await jobsOf('service_completed'))[0].status_code).toBe('sent');
    expect(fake.of('email').at(-1)!.body.recipients[0].variables.ticket_number).toBe('TKT-2026-0007');
  });
  it("adopts the tenant's timezone from TENANT_CREATED even when a read seeded defaults first, but never over an admin's saved settings", async () => {
    const config = d.app.get(TenantConfigRepository);
    const [early, edited] = [randomUUID(), randomUUID()];
    // Both tenants are read before their registration arrives, which seeds plain defaults (UTC).
    expect((await config.get(d.db.manager, early)).timezone).toBe('UTC');
    expect((await config.get(d.db.manager, edited)).timezone).toBe('UTC');
    await d.db.transaction((tx) => config.update(tx, edited, { timezone: 'Europe/Berlin' }));
    const registered = (tenant: string) =>
      testEnvelope('TENANT_CREATED', { name: 'T', timezone: 'Asia/Kolkata', locale: 'en-IN' }, { tenantId: tenant, aggregateId: tenant, source: 'events' });
    const events = [registered(early), registered(edited)];
    await publishRaw(env, events);
    await eventually(async () => {
      const [{ n }] = await d.db.query(`SELECT count(*)::int AS n FROM inbox WHERE message_id = ANY($1)`, [events.map((e) => e.id)]);
      expect(n).toBe(2);
    });
    expect((await config.get(d.db.manager, early)).timezone).toBe('Asia/Kolkata');
    expect((await config.get(d.db.manager, edited)).timezone).toBe('Europe/Berlin');
  });
});
