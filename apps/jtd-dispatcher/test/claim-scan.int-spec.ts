import { eventually } from '@app/shared/testing/eventually';
import { ExplainedStatement, explaining, pagesRead, planNodes } from '@app/shared/testing/explained-plans';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { JobRepository } from '../src/jobs/job.repository';
import { FakeProvider } from './support/fake-provider';
import { JtdInstance, request, startDispatcher, tenantWithAllChannels } from './support/jtd-harness';

describe('JTD claim', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let d: JtdInstance;
  const clock = new FixedClock(new Date('2026-12-01T06:00:00Z'));

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    d = await startDispatcher(env, fake, clock);
  });

  afterAll(async () => {
    await d?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  it('claims past the jobs that left the due statuses since the last vacuum without visiting them again', async () => {
    const tenantId = await tenantWithAllChannels(d.db);
    const { jobs } = await d.create.execute(request(tenantId));
    // 2,000 due jobs, then sent: each leaves an entry in the partial index of due jobs until a vacuum (this
    // machine's Postgres runs none; elsewhere autovacuum lags behind a busy dispatcher).
    await d.db.query(
      `INSERT INTO jobs SELECT (jsonb_populate_record(j, jsonb_build_object('id', gen_random_uuid(), 'dedupe_key', j.dedupe_key || '-' || g))).*
       FROM jobs j, generate_series(1, 2000) g WHERE j.id = $1`,
      [jobs[0].id],
    );
    await d.db.query(`UPDATE jobs SET status_code = 'sent', next_attempt_at = NULL WHERE tenant_id = $1`, [tenantId]);

    const claim = () =>
      d.db.transaction(async (tx) => {
        const statements: ExplainedStatement[] = [];
        await d.app.get(JobRepository).claimDue(explaining(tx, statements), clock.now(), 100);
        return statements[statements.length - 1].plan;
      });
    // A plain index scan marks the 2,001 entries dead once no transaction may still see their rows (other
    // test files share the database); with bitmap scans every claim read their rows' pages again (226 here).
    await eventually(
      async () => {
        const plan = await claim();
        expect(planNodes(plan)).toContain('Index Scan on idx_jobs_due');
        expect(pagesRead(plan)).toBeLessThan(50);
      },
      { intervalMs: 200 },
    );
  });
});
