import type { Db } from '@app/shared/db/sql';
import { eventually } from '@app/shared/testing/eventually';
import { ExplainedStatement, explaining, pagesRead, PlanNode, planNodes } from '@app/shared/testing/explained-plans';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { JobRepository } from '../src/jobs/job.repository';
import { FakeProvider } from './support/fake-provider';
import { JtdInstance, request, startDispatcher, tenantWithAllChannels } from './support/jtd-harness';

describe('JTD scans of the jobs table', () => {
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

  /**
   * A new job of a new tenant and `n` copies of it (own ids and dedupe keys); `status`, SQL over `g` (the copy's
   * number), sets the copies' status. Answers the tenant.
   */
  async function jobAndCopies(n: number, status?: string): Promise<string> {
    const tenantId = await tenantWithAllChannels(d.db);
    const { jobs } = await d.create.execute(request(tenantId));
    const statusField = status ? `, 'status_code', ${status}` : '';
    await d.db.query(
      `INSERT INTO jobs SELECT (jsonb_populate_record(j, jsonb_build_object('id', gen_random_uuid(), 'dedupe_key', j.dedupe_key || '-' || g${statusField}))).*
       FROM jobs j, generate_series(1, $2) g WHERE j.id = $1`,
      [jobs[0].id, n],
    );
    return tenantId;
  }

  /** The plan of the last statement `run` issues, run under EXPLAIN ANALYZE in a transaction. */
  const planOf = (run: (db: Db) => Promise<unknown>): Promise<PlanNode> =>
    d.db.transaction(async (tx) => {
      const statements: ExplainedStatement[] = [];
      await run(explaining(tx, statements));
      return statements[statements.length - 1].plan;
    });

  it('claims past the jobs that left the due statuses since the last vacuum without visiting them again', async () => {
    // 2,000 due jobs, then sent: each leaves an entry in the partial index of due jobs until a vacuum (this
    // machine's Postgres runs none; elsewhere autovacuum lags behind a busy dispatcher).
    const tenantId = await jobAndCopies(2000);
    await d.db.query(`UPDATE jobs SET status_code = 'sent', next_attempt_at = NULL WHERE tenant_id = $1`, [tenantId]);

    const claim = () => planOf((db) => d.app.get(JobRepository).claimDue(db, clock.now(), 100));
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

  it('plans the claim for the table as it is now, not as it was when the pool prepared it', async () => {
    const repo = d.app.get(JobRepository);
    const scansOfJobs = (tx: Db) =>
      tx.query(`SELECT seq_scan::int AS seq, idx_scan::int AS idx FROM pg_stat_xact_user_tables WHERE relid = 'jobs'::regclass`) as Promise<
        Array<{ seq: number; idx: number }>
      >;
    // An empty table (this file's own database): the pool's connection (the one just released is handed out
    // again) prepares the claim on its second run, and from the sixth Postgres may settle on a generic plan,
    // which for a small table is a seq scan.
    await d.db.query(`TRUNCATE jobs CASCADE`);
    for (let i = 0; i < 12; i++) await d.db.transaction((tx) => repo.claimDue(tx, clock.now(), 100));
    // Then the table grows (no ANALYZE follows: this machine's Postgres runs no autovacuum, and elsewhere it
    // lags behind a busy queue).
    await jobAndCopies(5000, `'sent'`);
    const scans = await d.db.transaction(async (tx) => {
      await repo.claimDue(tx, clock.now(), 100);
      return (await scansOfJobs(tx))[0];
    });
    // The claim's generic plan, made for the small table, read all 5,000 rows on every claim (seq 1).
    expect(scans).toEqual({ seq: 0, idx: 1 });
  });

  it('counts the waiting jobs (the gauges, once a second) without reading the whole table', async () => {
    await jobAndCopies(3000, `CASE WHEN g <= 3 THEN 'held' ELSE 'sent' END`);
    const plan = await planOf((db) => d.app.get(JobRepository).waitingCounts(db));
    // Before the partial index of waiting jobs: a seq scan of every page of the table (68 ms a count in the bench).
    expect(planNodes(plan).some((n) => n.endsWith('on idx_jobs_waiting'))).toBe(true);
    expect(pagesRead(plan)).toBeLessThan(20);
  });
});
