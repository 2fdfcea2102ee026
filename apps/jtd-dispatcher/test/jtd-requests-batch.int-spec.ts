import { randomUUID } from 'node:crypto';
import { publishRaw, testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { FakeProvider } from './support/fake-provider';
import { JtdInstance, startDispatcher, tenantWithAllChannels } from './support/jtd-harness';

/** JTD_REQUESTED delivered together: one batch handler call, one INSERT for all their jobs (JobCreator.createMany). */
describe('JTD_REQUESTED in batches', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let d: JtdInstance;
  let tenantId: string;
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    d = await startDispatcher(env, fake, clock, { EVENT_RETRY_DELAYS_MS: '100,100' });
    tenantId = await tenantWithAllChannels(d.db);
  });

  afterAll(async () => {
    await d?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  const requested = (requestId: string, over: Record<string, unknown> = {}) =>
    testEnvelope(
      'JTD_REQUESTED',
      {
        requestId,
        eventType: 'reminder',
        sourceType: 'service_reminder',
        sourceId: requestId,
        channels: ['email', 'sms'],
        recipient: { type: 'customer', name: 'Meera', email: 'meera@example.com', phone: '+919844444444' },
        variables: { customer_name: 'Meera', service_type: 'AMC visit', service_date: '2026-11-25', tenant_name: 'Acme' },
        isLive: false,
        ...over,
      },
      { tenantId },
    );

  it('creates the jobs of requests delivered together in shared statements, a request repeated in the batch once', async () => {
    const ids = Array.from({ length: 12 }, () => `batch-${randomUUID()}`);
    const messages = ids.map((id) => requested(id));
    // A second message carrying request 3 again (another message id: the inbox lets it through, the dedupe key stops it).
    const repeated = requested(ids[3]);
    await publishRaw(env, [...messages.slice(0, 6), repeated, ...messages.slice(6)]);

    const jobs = await eventually(async () => {
      const rows: Array<{ id: string; dedupe_key: string; status_code: string; tx: string }> = await d.db.query(
        `SELECT id, dedupe_key, status_code, xmin::text AS tx FROM jobs WHERE tenant_id = $1 AND source_id = ANY($2)`,
        [tenantId, ids],
      );
      expect(rows).toHaveLength(ids.length * 2);
      return rows;
    });
    expect(new Set(jobs.map((j) => j.dedupe_key))).toEqual(new Set(ids.flatMap((id) => [`req:events:${id}:email`, `req:events:${id}:sms`])));
    expect(jobs.every((j) => j.status_code === 'pending')).toBe(true);
    // Fewer transactions than requests: requests delivered together were created together.
    expect(new Set(jobs.map((j) => j.tx)).size).toBeLessThan(ids.length);
    // Each job got its two history rows, in order.
    const history: Array<{ jtd_id: string; steps: string }> = await d.db.query(
      `SELECT jtd_id, string_agg(coalesce(from_status, '-') || '>' || to_status, ',' ORDER BY seq) AS steps FROM status_history WHERE jtd_id = ANY($1::uuid[]) GROUP BY jtd_id`,
      [jobs.map((j) => j.id)],
    );
    expect(history).toHaveLength(jobs.length);
    expect(new Set(history.map((h) => h.steps))).toEqual(new Set(['->created,created>pending']));
  });

  // Apart from the test above: a failing call sends its whole group to one savepoint per message, so the
  // shared-statement count there would depend on which deliveries arrived with the failing one.
  it('retries a failing request alone: the others delivered with it are created', async () => {
    const ids = Array.from({ length: 4 }, () => `batch-${randomUUID()}`);
    const messages = ids.map((id) => requested(id));
    const failing = requested(`batch-bad-${randomUUID()}`, { sourceType: 'no_such_source' });
    await publishRaw(env, [...messages.slice(0, 2), failing, ...messages.slice(2)]);

    // The failing request alone went through the retries to the dead letters; it took nothing else with it.
    await eventually(
      async () => {
        const [row] = await d.db.query('SELECT reason FROM dead_letters WHERE message_id = $1', [failing.id]);
        expect(row?.reason).toBe('handler_failed');
      },
      { timeoutMs: 15000 },
    );
    expect(await d.db.query('SELECT 1 FROM jobs WHERE tenant_id = $1 AND source_id = $2', [tenantId, failing.payload.sourceId])).toEqual([]);
    const [{ n }] = await d.db.query('SELECT count(*)::int AS n FROM jobs WHERE tenant_id = $1 AND source_id = ANY($2)', [tenantId, ids]);
    expect(n).toBe(ids.length * 2);
  });
});
