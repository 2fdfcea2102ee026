import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { FakeProvider } from './support/fake-provider';
import { job, JtdInstance, request, startDispatcher, tenantWithAllChannels } from './support/jtd-harness';

/** New jobs wake the dispatchers: this replica in process, others by NOTIFY after the commit (polling is a fallback). */
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
});
