import { randomUUID } from 'node:crypto';
import { Transactions } from '@app/shared/db/transactions';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { FakeProvider } from './support/fake-provider';
import { JobCreator } from '../src/jobs/job-creator';
import { historyOf, job, JtdInstance, request, startDispatcher, tenantWithAllChannels } from './support/jtd-harness';

/**
 * New jobs wake the dispatchers: this replica in process, others by NOTIFY after the commit (polling is a
 * fallback); jobs due when created may instead be leased by the creating transaction (IntakeLeases).
 */
describe('JTD wake-ups', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let api: JtdInstance;
  let worker: JtdInstance;
  const clock = new FixedClock(new Date('2026-12-01T06:00:00Z'));

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    // Polling every ten minutes: within a test only a wake-up can make the worker send.
    api = await startDispatcher(env, fake, clock, { JTD_WORKER_ID: 'api-only' });
    worker = await startDispatcher(env, fake, clock, { JTD_WORKER_ID: 'worker', JTD_WORKER_ENABLED: 'true', JTD_POLL_INTERVAL_MS: '600000' });
  });

  afterAll(async () => {
    await worker?.app.close();
    await api?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  it("sends a job created by another replica without waiting for the worker's poll", async () => {
    const tenantId = await tenantWithAllChannels(api.db);
    const { jobs } = await api.create.execute(request(tenantId));
    await eventually(async () => expect((await job(api.db, jobs[0].id)).status_code).toBe('sent'), { timeoutMs: 5000 });
  });

  it('sends a job created by its own replica right after the commit', async () => {
    const tenantId = await tenantWithAllChannels(worker.db);
    const { jobs } = await worker.create.execute(request(tenantId));
    await eventually(async () => expect((await job(worker.db, jobs[0].id)).status_code).toBe('sent'), { timeoutMs: 5000 });
  });

  /** Creates jobs as the JTD_REQUESTED consumer does (leasing the due ones), then runs `after` in the same transaction. */
  const createLeasing = (tenantId: string, email: string, after: () => void = () => undefined, over: Parameters<typeof request>[1] = {}) => {
    const { ctx, ...req } = request(tenantId, over);
    return worker.app.get(Transactions).run(async (tx) => {
      const [created] = await worker.app.get(JobCreator).createMany(tx, [{ ctx, req: { ...req, recipient: { ...req.recipient, email } } }], { leaseDue: true });
      after();
      return created.jobs[0];
    });
  };
  const requestsTo = (email: string) => fake.requests.filter((r) => r.rawBody.includes(email));

  it('leases a job due at creation in the creating transaction and sends it once that commits', async () => {
    const tenantId = await tenantWithAllChannels(worker.db);
    const email = `lease-${randomUUID()}@example.com`;
    const created = await createLeasing(tenantId, email);
    await eventually(async () => expect((await job(worker.db, created.id)).status_code).toBe('sent'), { timeoutMs: 5000 });
    expect(requestsTo(email)).toHaveLength(1);
    // Created and leased by one transaction: the history rows up to `executing` share its id.
    const steps: Array<{ to_status: string; tx: string }> = await worker.db.query(
      `SELECT to_status, xmin::text AS tx FROM status_history WHERE jtd_id = $1 ORDER BY seq`,
      [created.id],
    );
    expect(steps.map((s) => s.to_status)).toEqual(['created', 'pending', 'queued', 'executing', 'sent']);
    expect(new Set(steps.slice(0, 4).map((s) => s.tx)).size).toBe(1);
    expect(steps[4].tx).not.toBe(steps[0].tx);
  });

  it('inserts a job it leases at intake already executing, with its history, and sends it once', async () => {
    const tenantId = await tenantWithAllChannels(worker.db);
    const email = `inserted-leased-${randomUUID()}@example.com`;
    const created = await createLeasing(tenantId, email);
    expect(created).toMatchObject({ status: 'executing', previousStatus: 'queued', version: 4, attempts: 1, leaseOwner: 'worker', nextAttemptAt: null });
    await eventually(async () => expect((await job(worker.db, created.id)).status_code).toBe('sent'), { timeoutMs: 5000 });
    const row = await job(worker.db, created.id);
    expect(row.rendered.body).toContain('Ravi');
    expect(row.send_started_at).not.toBeNull();
    expect((await historyOf(worker.db, created.id)).map((h) => [h.to_status, h.actor_type, h.is_valid_transition])).toEqual([
      ['created', 'user', true],
      ['pending', 'user', true],
      ['queued', 'system', true],
      ['executing', 'system', true],
      ['sent', 'system', true],
    ]);
  });

  it('leaves a job due in quiet hours scheduled by its creating transaction, without a send', async () => {
    const tenantId = await tenantWithAllChannels(worker.db, { quietHoursStart: '05:00', quietHoursEnd: '07:00' });
    const email = `quiet-${randomUUID()}@example.com`;
    const created = await createLeasing(tenantId, email);
    const row = await job(worker.db, created.id);
    expect(row).toMatchObject({ status_code: 'scheduled', attempts: 0, lease_owner: null });
    expect(row.next_attempt_at.toISOString()).toBe('2026-12-01T07:00:00.000Z');
    expect((await historyOf(worker.db, created.id)).map((h) => h.to_status)).toEqual(['created', 'pending', 'scheduled']);
    expect(requestsTo(email)).toEqual([]);
  });

  it('gives back the usage a lease at intake counted for a request that was already created, and sends it once', async () => {
    const tenantId = await tenantWithAllChannels(worker.db, { dailyLimit: 10 });
    const email = `repeated-${randomUUID()}@example.com`;
    const requestId = `events:${randomUUID()}`;
    const first = await createLeasing(tenantId, email, undefined, { requestId });
    const again = await createLeasing(tenantId, email, undefined, { requestId });
    expect(again.id).toBe(first.id);
    await eventually(async () => expect((await job(worker.db, first.id)).status_code).toBe('sent'), { timeoutMs: 5000 });
    expect(await worker.db.query(`SELECT used FROM usage_counters WHERE tenant_id = $1`, [tenantId])).toEqual([{ used: 1 }]);
    expect(requestsTo(email)).toHaveLength(1);
    expect(await worker.db.query(`SELECT count(*)::int AS n FROM jobs WHERE tenant_id = $1`, [tenantId])).toEqual([{ n: 1 }]);
  });

  it('sends nothing for a lease whose creating transaction rolls back', async () => {
    const tenantId = await tenantWithAllChannels(worker.db);
    const email = `rolled-back-${randomUUID()}@example.com`;
    await expect(
      createLeasing(tenantId, email, () => {
        throw new Error('the creating transaction fails after the lease');
      }),
    ).rejects.toThrow('after the lease');
    // A job that is then created and sent shows the pipeline is running; the rolled-back one never reached the provider.
    const email2 = `after-${randomUUID()}@example.com`;
    await createLeasing(tenantId, email2);
    await eventually(async () => expect(requestsTo(email2)).toHaveLength(1), { timeoutMs: 5000 });
    expect(requestsTo(email)).toEqual([]);
    expect(await worker.db.query(`SELECT id FROM jobs WHERE tenant_id = $1 AND recipient_contact = $2`, [tenantId, email])).toEqual([]);
  });
});
