import { JtdRequestedPayload } from '@app/shared/catalog/jtd.catalog';
import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { captureEvents, CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { dataSourceOf, startMessagingApp } from '@app/shared/messaging/testing/messaging-test-app';
import { Outbox } from '@app/shared/messaging/outbox';
import { isSealed } from '@app/shared/security/sealed-fields';
import { eventually } from '@app/shared/testing/eventually';
import { openSealed } from '@app/shared/testing/sealed-values';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { SECRET_MASK } from '../src/templates/message-composer';
import { FixedClock } from '@app/shared/time/clock';
import { FakeProvider } from './support/fake-provider';
import { JtdInstance, startDispatcher, tenantWithAllChannels } from './support/jtd-harness';

/**
 * An OTP from its producer to the provider: the outbox row, the broker message and the dispatcher's job
 * carry it sealed; the provider receives it in clear; nothing the dispatcher keeps holds it.
 */
describe('sealed JTD variables', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let d: JtdInstance;
  let producer: INestApplicationContext;
  let producerDb: DataSource;
  let capture: CapturedEvents;
  let tenantId: string;
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    d = await startDispatcher(env, fake, clock);
    producer = await startMessagingApp(env, { service: 'tickets' });
    producerDb = dataSourceOf(producer);
    tenantId = await tenantWithAllChannels(d.db);
    capture = await captureEvents(env, ['JTD_REQUESTED']);
  });

  afterAll(async () => {
    await capture?.close();
    await producer?.close();
    await d?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  /** What the tickets service does for OTP evidence, with a code the test knows. */
  async function requestOtp(code: string, over: Record<string, unknown> = {}): Promise<string> {
    const evidenceId = randomUUID();
    const ctx: RequestContext = { tenantId, actor: { type: 'user', id: randomUUID(), name: 'Ravi Tech' }, roles: ['technician'], correlationId: randomUUID() };
    await producerDb.transaction((tx) =>
      producer.get(Outbox).append(tx, ctx, [
        {
          type: 'JTD_REQUESTED',
          aggregateId: evidenceId,
          payload: {
            requestId: `otp:${evidenceId}:1`,
            eventType: 'notification',
            sourceType: 'otp_verification',
            sourceId: evidenceId,
            channels: ['sms'],
            recipient: { type: 'customer', name: 'Meera', phone: '+919844444444' },
            variables: { otp: code, ticket_number: 'TKT-2026-00042' },
            priority: 1,
            ...over,
          },
        },
      ]),
    );
    return evidenceId;
  }

  async function jobOf(evidenceId: string) {
    return eventually(async () => {
      const [row] = await d.db.query(`SELECT * FROM jobs WHERE source_id = $1`, [evidenceId]);
      expect(row).toBeDefined();
      return row;
    });
  }

  /** Every row of every table of a schema, as text: what anyone with database access could read. */
  async function everythingIn(db: DataSource, schema: string): Promise<string> {
    const tables: Array<{ table_name: string }> = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
      [schema],
    );
    const dumps = await Promise.all(
      tables.map(({ table_name }) => db.query(`SELECT coalesce(json_agg(t)::text, '') AS rows FROM "${schema}"."${table_name}" t`)),
    );
    return dumps.map(([r]) => r.rows).join('\n');
  }

  it('keeps the code sealed in the outbox row, on the broker and in the job, and opens it only for the provider', async () => {
    const code = '731902';
    const evidenceId = await requestOtp(code);

    const [row] = await producerDb.query(`SELECT payload FROM outbox WHERE aggregate_id = $1`, [evidenceId]);
    expect(isSealed(row.payload.variables.otp)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(code);

    const published = await capture.waitFor<JtdRequestedPayload>('JTD_REQUESTED', (e) => e.aggregateId === evidenceId);
    expect(isSealed(published.payload.variables.otp)).toBe(true);
    expect(JSON.stringify(published)).not.toContain(code);
    expect(openSealed(published.payload.variables.otp, tenantId)).toBe(code);

    const job = await jobOf(evidenceId);
    expect(job.variables).toEqual({ otp: published.payload.variables.otp, ticket_number: 'TKT-2026-00042' });

    await d.worker.tick();
    const sms = fake.of('sms').find((r) => r.rawBody.includes('TKT-2026-00042') && r.rawBody.includes(code));
    expect(sms?.body.recipients[0]).toMatchObject({ otp: code, ticket_number: 'TKT-2026-00042' });
    const sent = await jobOf(evidenceId);
    expect(sent.status_code).toBe('sent');
    expect(sent.rendered.body).toBe(`Your OTP for ticket TKT-2026-00042 is ${SECRET_MASK}.`);

    expect(await everythingIn(d.db, 'jtd')).not.toContain(code);
    expect(await everythingIn(producerDb, 'tickets')).not.toContain(code);
  });

  it('masks the code in what a provider answered and in the errors kept of a failed send', async () => {
    const code = '582017';
    fake.script('sms', {
      status: 400,
      body: { type: 'error', code: '418', message: `template variable mismatch in "Your OTP for ticket TKT-2026-00042 is ${code}."` },
    });
    const evidenceId = await requestOtp(code);
    await jobOf(evidenceId);
    await d.worker.tick();

    const failed = await jobOf(evidenceId);
    expect(failed.status_code).toBe('failed');
    expect(failed.last_error).toContain(SECRET_MASK);
    expect(fake.requests.some((r) => r.rawBody.includes(code))).toBe(true);
    expect(await everythingIn(d.db, 'jtd')).not.toContain(code);
  });

  it('in test mode builds the would-be request with the code masked, and keeps it out of the sandbox', async () => {
    const code = '904561';
    const evidenceId = await requestOtp(code, { isLive: false });
    const job = await jobOf(evidenceId);
    const before = fake.requests.length;
    await d.worker.tick();

    expect(fake.requests.length).toBe(before);
    const [sandbox] = await d.db.query(`SELECT request FROM sandbox_messages WHERE jtd_id = $1`, [job.id]);
    expect(sandbox.request.body.recipients[0]).toMatchObject({ otp: SECRET_MASK, ticket_number: 'TKT-2026-00042' });
    expect(await everythingIn(d.db, 'jtd')).not.toContain(code);
  });

  it('delivers in-app messages with sealed values masked: tenant users read the inbox', async () => {
    const code = '665544';
    const userId = randomUUID();
    await d.db.query(
      `INSERT INTO templates (tenant_id, template_key, name, channel_code, source_type_code, subject, content, variables)
      VALUES ($1, 'otp_verification_inapp_v1', 'OTP in-app', 'inapp', 'otp_verification', 'Your code', 'Code {{otp}} for {{ticket_number}}', '["otp","ticket_number"]')`,
      [tenantId],
    );
    const evidenceId = await requestOtp(code, { channels: ['inapp'], recipient: { type: 'user', id: userId, name: 'Asha' } });
    await jobOf(evidenceId);
    await d.worker.tick();

    const [note] = await d.db.query(`SELECT title, body FROM inapp_notifications WHERE user_id = $1`, [userId]);
    expect(note).toEqual({ title: 'Your code', body: `Code ${SECRET_MASK} for TKT-2026-00042` });
    expect(await everythingIn(d.db, 'jtd')).not.toContain(code);
  });

  it('refuses sealed values in a job created through the API, since it would open them for any address', async () => {
    const published = capture.ofType<JtdRequestedPayload>('JTD_REQUESTED')[0];
    const attempt = d.create.forRequest({ tenantId, actor: { ...SYSTEM_ACTORS.system }, roles: ['admin'], correlationId: randomUUID() }, {
      sourceType: 'otp_verification',
      channel: 'email',
      recipient: { type: 'customer', name: 'Mallory', email: 'mallory@example.com' },
      variables: { otp: published.payload.variables.otp },
    } as never);
    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_FAILED', fieldErrors: { variables: [expect.stringContaining('sealed')] } });
  });
});
