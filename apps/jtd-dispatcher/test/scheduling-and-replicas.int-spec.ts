import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { RateBucketPurge } from '../src/delivery/rate-bucket-purge.job';
import { RetryJobUseCase } from '../src/jobs/use-cases/retry-job.use-case';
import { TransitionJobUseCase } from '../src/jobs/use-cases/transition-job.use-case';
import { FixedClock } from '@app/shared/time/clock';
import { FakeProvider } from './support/fake-provider';
import { historyOf, job, JtdInstance, request, startDispatcher, tenantWithAllChannels, userCtx } from './support/jtd-harness';

describe('JTD scheduling, limits and replicas', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let a: JtdInstance;
  let b: JtdInstance;
  // Both replicas see the same (fake) time, like two pods on synchronised clocks.
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    a = await startDispatcher(env, fake, clock, { JTD_WORKER_ID: 'replica-a', JTD_BATCH_SIZE: '5' });
    b = await startDispatcher(env, fake, clock, { JTD_WORKER_ID: 'replica-b', JTD_BATCH_SIZE: '5' });
  });

  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  it('holds back a message in quiet hours across midnight in Asia/Kolkata and sends it at the end, never dropping it', async () => {
    const tenantId = await tenantWithAllChannels(a.db, { timezone: 'Asia/Kolkata', quietHoursStart: '22:00', quietHoursEnd: '07:00' });
    clock.set('2026-11-22T18:00:00Z'); // 23:30 IST
    const { jobs } = await a.create.execute(request(tenantId));
    await a.worker.tick();
    let j = await job(a.db, jobs[0].id);
    expect(j.status_code).toBe('scheduled');
    expect(new Date(j.next_attempt_at).toISOString()).toBe('2026-11-23T01:30:00.000Z');
    clock.set('2026-11-23T01:29:00Z');
    await a.worker.tick();
    expect((await job(a.db, jobs[0].id)).status_code).toBe('scheduled');
    clock.set('2026-11-23T01:30:00Z');
    await a.worker.tick();
    j = await job(a.db, jobs[0].id);
    expect(j.status_code).toBe('sent');
    expect((await historyOf(a.db, j.id)).map((h) => h.to_status)).toEqual(['created', 'pending', 'scheduled', 'pending', 'queued', 'executing', 'sent']);
  });

  it('defers across the DST change in America/New_York to 07:00 local time', async () => {
    const tenantId = await tenantWithAllChannels(a.db, { timezone: 'America/New_York', quietHoursStart: '22:00', quietHoursEnd: '07:00' });
    clock.set('2026-03-08T04:00:00Z'); // 23:00 EST, the night clocks spring forward
    const { jobs } = await a.create.execute(request(tenantId));
    await a.worker.tick();
    expect(new Date((await job(a.db, jobs[0].id)).next_attempt_at).toISOString()).toBe('2026-03-08T11:00:00.000Z');
  });

  it('honours scheduledAt: the job waits as scheduled and is sent when due', async () => {
    const tenantId = await tenantWithAllChannels(a.db);
    clock.set('2026-11-22T06:00:00Z');
    const { jobs } = await a.create.execute(request(tenantId, { scheduledAt: '2026-11-22T09:00:00Z' }));
    expect(jobs[0].status).toBe('scheduled');
    await a.worker.tick();
    expect((await job(a.db, jobs[0].id)).status_code).toBe('scheduled');
    clock.set('2026-11-22T09:00:00Z');
    await b.worker.tick();
    expect((await job(a.db, jobs[0].id)).status_code).toBe('sent');
  });

  it('runs every due job exactly once when two replicas claim at the same time', async () => {
    const tenantId = await tenantWithAllChannels(a.db);
    clock.set('2026-11-24T06:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 40; i++)
      ids.push(
        (await a.create.execute(request(tenantId, { channels: ['sms'], recipient: { type: 'c', name: 'N', phone: `+9198000${String(10000 + i)}` } }))).jobs[0]
          .id,
      );
    const before = fake.of('sms').length;
    await Promise.all([a.worker.tick(), b.worker.tick()]);
    const rows: Array<{ status_code: string; lease_owner: string | null }> = await a.db.query(`SELECT status_code, lease_owner FROM jobs WHERE id = ANY($1)`, [
      ids,
    ]);
    expect(rows.every((r) => r.status_code === 'sent')).toBe(true);
    expect(fake.of('sms').length - before).toBe(40);
    const phones = fake
      .of('sms')
      .slice(before)
      .map((r) => r.body.recipients[0].mobiles);
    expect(new Set(phones).size).toBe(40);
    const workers = await a.db.query(`SELECT DISTINCT actor_type FROM status_history WHERE jtd_id = ANY($1)`, [ids]);
    expect(workers.length).toBeGreaterThan(0);
  });

  it('keeps the per-minute channel rate limit across two replicas and sends the rest in the next minute', async () => {
    const tenantId = await tenantWithAllChannels(a.db);
    await a.db.query(`UPDATE channels SET rate_limit_per_minute = 5 WHERE code = 'whatsapp'`);
    try {
      clock.set('2026-11-25T06:00:10Z');
      const ids: string[] = [];
      for (let i = 0; i < 12; i++)
        ids.push(
          (await a.create.execute(request(tenantId, { channels: ['whatsapp'], recipient: { type: 'c', name: 'N', phone: `+9197000${String(10000 + i)}` } })))
            .jobs[0].id,
        );
      const before = fake.of('whatsapp').length;
      await Promise.all([a.worker.tick(), b.worker.tick()]);
      expect(fake.of('whatsapp').length - before).toBe(5);
      const waiting: Array<{ status_code: string; next_attempt_at: Date }> = await a.db.query(
        `SELECT status_code, next_attempt_at FROM jobs WHERE id = ANY($1) AND status_code <> 'sent'`,
        [ids],
      );
      expect(waiting).toHaveLength(7);
      expect(waiting.every((w) => w.status_code === 'pending' && new Date(w.next_attempt_at).toISOString() === '2026-11-25T06:01:00.000Z')).toBe(true);
      clock.set('2026-11-25T06:01:00Z');
      await Promise.all([a.worker.tick(), b.worker.tick()]);
      expect(fake.of('whatsapp').length - before).toBe(10);
      clock.set('2026-11-25T06:02:00Z');
      await Promise.all([a.worker.tick(), b.worker.tick()]);
      expect(fake.of('whatsapp').length - before).toBe(12);
    } finally {
      await a.db.query(`UPDATE channels SET rate_limit_per_minute = 30 WHERE code = 'whatsapp'`);
    }
  });

  it('holds jobs over the daily limit (visible as held) across replicas and releases them the next day in the tenant timezone', async () => {
    const tenantId = await tenantWithAllChannels(a.db, { dailyLimit: 3, timezone: 'Asia/Kolkata' });
    clock.set('2026-11-26T06:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await a.create.execute(request(tenantId))).jobs[0].id);
    await Promise.all([a.worker.tick(), b.worker.tick()]);
    const rows: Array<{ status_code: string; next_attempt_at: Date }> = await a.db.query(`SELECT status_code, next_attempt_at FROM jobs WHERE id = ANY($1)`, [
      ids,
    ]);
    expect(rows.filter((r) => r.status_code === 'sent')).toHaveLength(3);
    const held = rows.filter((r) => r.status_code === 'held');
    expect(held).toHaveLength(2);
    expect(new Date(held[0].next_attempt_at).toISOString()).toBe('2026-11-26T18:30:00.000Z'); // midnight IST
    clock.set('2026-11-26T18:30:00Z');
    await Promise.all([a.worker.tick(), b.worker.tick()]);
    const after: Array<{ status_code: string }> = await a.db.query(`SELECT status_code FROM jobs WHERE id = ANY($1)`, [ids]);
    expect(after.every((r) => r.status_code === 'sent')).toBe(true);
  });

  it('orders the queue by priority', async () => {
    const tenantId = await tenantWithAllChannels(a.db);
    clock.set('2026-11-27T06:00:00Z');
    await a.db.query(`UPDATE channels SET rate_limit_per_minute = 1 WHERE code = 'email'`);
    try {
      const low = (await a.create.execute(request(tenantId, { priority: 2 }))).jobs[0].id;
      const high = (await a.create.execute(request(tenantId, { priority: 9 }))).jobs[0].id;
      await a.worker.tick();
      expect((await job(a.db, high)).status_code).toBe('sent');
      expect((await job(a.db, low)).status_code).toBe('pending');
    } finally {
      await a.db.query(`UPDATE channels SET rate_limit_per_minute = 100 WHERE code = 'email'`);
    }
  });

  it('never sends twice and never loses a job when a replica dies in the middle of a send', async () => {
    const tenantId = await tenantWithAllChannels(a.db);
    clock.set('2026-11-28T06:00:00Z');
    fake.script('email', { hang: true });
    const id = (await a.create.execute(request(tenantId, { recipient: { type: 'c', name: 'N', email: 'crash@example.com' } }))).jobs[0].id;
    // Replica A claims and starts the provider call; we kill it while the provider has not answered.
    const arrived = new Promise<void>((r) => (fake.onRequest = (route) => route === 'email' && r()));
    const pass = a.worker.tick().catch(() => undefined);
    await arrived;
    fake.onRequest = undefined;
    await a.app.close();
    void pass;
    expect((await job(b.db, id)).status_code).toBe('executing');
    // Replica B does not touch it while the lease holds…
    await b.worker.tick();
    expect((await job(b.db, id)).status_code).toBe('executing');
    // …and afterwards fails it as "unknown outcome" instead of sending again.
    clock.advance(61_000);
    await b.worker.tick();
    const j = await job(b.db, id);
    expect(j).toMatchObject({ status_code: 'failed', error_code: 'UNKNOWN_OUTCOME', next_attempt_at: null });
    expect(fake.requests.filter((r) => r.rawBody.includes('crash@example.com'))).toHaveLength(1);
    // A person can retry it deliberately.
    await b.app.get(RetryJobUseCase).execute(userCtx(tenantId), { id });
    await b.worker.tick();
    expect((await job(b.db, id)).status_code).toBe('sent');
    a = await startDispatcher(env, fake, clock, { JTD_WORKER_ID: 'replica-a' });
  });

  it('executes action jobs as VaNi when the tenant enabled it for the type, else waits for a person', async () => {
    const vaniTenant = await tenantWithAllChannels(a.db, { vaniEnabled: true, vaniAutoExecuteTypes: ['appointment'] });
    const manualTenant = await tenantWithAllChannels(a.db);
    clock.set('2026-11-29T06:00:00Z');
    const mk = (t: string) =>
      a.create.execute(
        request(t, { sourceType: 'appointment_created', channels: ['email'], variables: { customer_name: 'R', appointment_date: '2026-12-02 10:00' } }),
      );
    const v = (await mk(vaniTenant)).jobs[0];
    const m = (await mk(manualTenant)).jobs[0];
    await a.worker.tick();
    const vj = await job(a.db, v.id);
    expect(vj).toMatchObject({ status_code: 'sent', performed_by_type: 'vani', event_type_code: 'appointment' });
    expect((await historyOf(a.db, v.id)).filter((h) => h.to_status !== 'created').every((h) => h.actor_type === 'vani' && h.source === 'vani')).toBe(true);
    expect((await job(a.db, m.id)).status_code).toBe('pending');
    // A person hands it to the dispatcher.
    await a.app.get(TransitionJobUseCase).execute(userCtx(manualTenant), { id: m.id, toStatus: 'queued' });
    await a.worker.tick();
    expect((await job(a.db, m.id)).status_code).toBe('sent');
  });

  it('allows an invalid manual move but flags it in the history', async () => {
    const tenantId = await tenantWithAllChannels(a.db);
    const id = (await a.create.execute(request(tenantId, { scheduledAt: '2030-01-01T00:00:00Z' }))).jobs[0].id;
    const view = await a.app.get(TransitionJobUseCase).execute(userCtx(tenantId), { id, toStatus: 'delivered', reason: 'customer confirmed by phone' });
    expect(view).toMatchObject({ status: 'delivered', isValidTransition: false });
    const h = await historyOf(a.db, id);
    expect(h.at(-1)).toMatchObject({
      from_status: 'scheduled',
      to_status: 'delivered',
      is_valid_transition: false,
      actor_type: 'user',
      source: 'user',
      reason: 'customer confirmed by phone',
    });
  });

  it('forgets rate windows that closed more than an hour ago, keeping the current ones', async () => {
    clock.set('2026-12-01T10:00:30Z');
    await a.db.query(
      `INSERT INTO rate_buckets (channel_code, window_start, used) VALUES ('sms', '2026-12-01T08:00:00Z', 7), ('sms', '2026-12-01T09:30:00Z', 3), ('email', '2026-12-01T10:00:00Z', 1)
       ON CONFLICT (channel_code, window_start) DO NOTHING`,
    );
    // The purge runs every ten minutes on one replica where the loop runs; here once, now.
    expect(await a.app.get(RateBucketPurge).runNow()).toBeGreaterThanOrEqual(1);
    const rows: Array<{ channel_code: string; window_start: Date }> = await a.db.query(
      `SELECT channel_code, window_start FROM rate_buckets WHERE window_start >= '2026-12-01T00:00:00Z' ORDER BY window_start`,
    );
    expect(rows.map((r) => `${r.channel_code}@${new Date(r.window_start).toISOString()}`)).toEqual([
      'sms@2026-12-01T09:30:00.000Z',
      'email@2026-12-01T10:00:00.000Z',
    ]);
  });
});
