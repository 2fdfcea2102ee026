import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { JtdSettingsView, WebhookSecretView } from '@app/shared/api/jtd/jtd-settings.dto';
import { rotateWebhookSecret } from '@app/shared/api/jtd/jtd-settings.operations';
import { MSG91_WEBHOOK_MAX_REPORTS } from '@app/shared/api/jtd/msg91-webhook.dto';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { PinoNestLogger } from '@app/shared/logging/logger';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { JtdWebhookSecretHash1764300000005 } from '../src/migrations/1764300000005-jtd-webhook-secret-hash';
import { FixedClock } from '@app/shared/time/clock';
import { GetSettingsUseCase } from '../src/settings/use-cases/get-settings.use-case';
import { RotateWebhookSecretUseCase } from '../src/settings/use-cases/rotate-webhook-secret.use-case';
import { ReceiveMsg91ReportUseCase } from '../src/webhooks/use-cases/receive-msg91-report.use-case';
import { FakeProvider } from './support/fake-provider';
import { historyOf, job, JtdInstance, request, startDispatcher, tenantWithAllChannels, userCtx, webhookSecretOf } from './support/jtd-harness';

/** MSG91 delivery reports: how the tenant's secret is kept and rotated, and how much one request may carry. */
describe('MSG91 webhooks: secrets and bounds', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let d: JtdInstance;
  let webhook: ReceiveMsg91ReportUseCase;
  let settings: { rotateWebhookSecret(tenantId: string): Promise<WebhookSecretView>; get(tenantId: string): Promise<JtdSettingsView> };
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    d = await startDispatcher(env, fake, clock, { LOG_LEVEL: 'trace' });
    webhook = d.app.get(ReceiveMsg91ReportUseCase);
    settings = {
      rotateWebhookSecret: (tenantId) => d.app.get(RotateWebhookSecretUseCase).execute(userCtx(tenantId)),
      get: (tenantId) => d.app.get(GetSettingsUseCase).execute(userCtx(tenantId)),
    };
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await d?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  const ctxOf = (tenantId: string): RequestContext => ({ tenantId, actor: SYSTEM_ACTORS.webhook, roles: [], correlationId: randomUUID() });
  const post = (tenantId: string, token: string, payload: unknown, channel = 'sms') =>
    webhook.execute(ctxOf(tenantId), { channel, tenant: tenantId, token, payload });
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (e) => e.code as string,
    );

  /** Every log line of the app, as the Nest logger receives it (what pino would write at trace). */
  function captureLogs(): string[] {
    const lines: string[] = [];
    for (const level of ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] as const) {
      const original = PinoNestLogger.prototype[level] as (...a: unknown[]) => void;
      jest.spyOn(PinoNestLogger.prototype, level).mockImplementation(function (this: PinoNestLogger, ...args: unknown[]) {
        lines.push(JSON.stringify(args));
        return original.apply(this, args);
      });
    }
    return lines;
  }

  /** Every row of every table of the dispatcher's schema, as text. */
  async function everyRow(db: DataSource): Promise<string> {
    const tables: Array<{ t: string }> = await db.query(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'jtd' AND table_type = 'BASE TABLE'`,
    );
    const dumps = await Promise.all(tables.map(async ({ t }) => JSON.stringify(await db.query(`SELECT * FROM jtd."${t}"`))));
    return dumps.join('\n');
  }

  /** `n` SMS jobs of the tenant in status sent, with provider request ids `<prefix>-<i>` (one sent for real, the rest copies). */
  async function sentJobs(tenantId: string, n: number, prefix: string): Promise<string[]> {
    const { jobs } = await d.create.execute(request(tenantId, { channels: ['sms'] }));
    await d.worker.tick();
    expect((await job(d.db, jobs[0].id)).status_code).toBe('sent');
    await d.db.query(`UPDATE jobs SET provider_message_id = $2 WHERE id = $1`, [jobs[0].id, `${prefix}-0`]);
    await d.db.query(
      `INSERT INTO jobs SELECT (jsonb_populate_record(NULL::jobs, to_jsonb(j) || jsonb_build_object('id', gen_random_uuid(), 'provider_message_id', $2 || '-' || g, 'dedupe_key', j.dedupe_key || '-' || g))).*
       FROM jobs j, generate_series(1, $3::int - 1) g WHERE j.id = $1`,
      [jobs[0].id, prefix, n],
    );
    return (await d.db.query(`SELECT id FROM jobs WHERE tenant_id = $1 AND provider_message_id LIKE $2 ORDER BY id`, [tenantId, `${prefix}-%`])).map(
      (r: { id: string }) => r.id,
    );
  }

  describe('the secret', () => {
    it('is answered once, by the rotation: stored as a hash only, in no view, no table and no log line', async () => {
      const tenantId = await tenantWithAllChannels(d.db);
      const logs = captureLogs();
      const { webhookSecret, webhookPaths } = await settings.rotateWebhookSecret(tenantId);
      expect(webhookSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(webhookPaths.sms).toBe(`/v1/webhooks/msg91/sms?tenant=${tenantId}&token=${webhookSecret}`);
      expect(await post(tenantId, webhookSecret, [{ requestId: 'nobody', status: '1' }])).toMatchObject({ unknown: 1 });

      const [row] = await d.db.query(`SELECT * FROM tenant_config WHERE tenant_id = $1`, [tenantId]);
      expect(Object.keys(row)).not.toContain('webhook_secret');
      expect(row.webhook_secret_hash).toEqual(createHash('sha256').update(webhookSecret).digest());
      expect(await everyRow(d.db)).not.toContain(webhookSecret);
      expect(JSON.stringify(await settings.get(tenantId))).not.toContain(webhookSecret);
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.filter((l) => l.includes(webhookSecret))).toEqual([]);
      // An Idempotency-Key would make the gateway store the answer, secret included, for replays.
      expect(rotateWebhookSecret.http?.idempotent).toBeFalsy();
    });

    it('stops working the moment a new one is issued (no grace period)', async () => {
      const tenantId = await tenantWithAllChannels(d.db);
      const first = (await settings.rotateWebhookSecret(tenantId)).webhookSecret;
      const second = (await settings.rotateWebhookSecret(tenantId)).webhookSecret;
      expect(second).not.toBe(first);
      expect(await refusal(post(tenantId, first, [{ requestId: 'x', status: '1' }]))).toBe('UNAUTHENTICATED');
      expect(await refusal(post(tenantId, second, [{ requestId: 'x', status: '1' }]))).toBe('accepted');
    });

    it('does not exist until an admin issues one: a new tenant refuses every report', async () => {
      const tenantId = randomUUID();
      await settings.get(tenantId);
      const [row] = await d.db.query(`SELECT webhook_secret_hash FROM tenant_config WHERE tenant_id = $1`, [tenantId]);
      expect(row.webhook_secret_hash).toBeNull();
      for (const token of ['', 'x', webhookSecretOf(tenantId)]) expect(await refusal(post(tenantId, token, []))).toBe('UNAUTHENTICATED');
    });

    it('is refused for another tenant: a secret authenticates its own tenant only', async () => {
      const [a, b] = [await tenantWithAllChannels(d.db), await tenantWithAllChannels(d.db)];
      expect(await refusal(post(b, webhookSecretOf(a), []))).toBe('UNAUTHENTICATED');
    });

    it('kept in plain text before, is hashed by the migration and keeps working', async () => {
      const tenantId = await tenantWithAllChannels(d.db);
      const qr = d.db.createQueryRunner();
      await qr.connect();
      try {
        await qr.startTransaction();
        // The table as the earlier migrations left it: the secret as issued.
        await qr.query(`ALTER TABLE tenant_config ADD COLUMN webhook_secret text`);
        await qr.query(`UPDATE tenant_config SET webhook_secret = 'legacy-' || tenant_id`);
        await qr.query(`ALTER TABLE tenant_config DROP COLUMN webhook_secret_hash`);
        await new JtdWebhookSecretHash1764300000005().up(qr);
        await qr.commitTransaction();
      } finally {
        await qr.release();
      }
      expect(await refusal(post(tenantId, `legacy-${tenantId}`, []))).toBe('accepted');
      expect(await everyRow(d.db)).not.toContain(`legacy-${tenantId}`);
    });
  });

  describe('one request', () => {
    it(`applies up to ${MSG91_WEBHOOK_MAX_REPORTS} reports in one transaction, logged in one line`, async () => {
      const tenantId = await tenantWithAllChannels(d.db);
      const ids = await sentJobs(tenantId, MSG91_WEBHOOK_MAX_REPORTS, 'bulk');
      const reports = Array.from({ length: MSG91_WEBHOOK_MAX_REPORTS }, (_, i) => ({ requestId: `bulk-${i}`, status: '1' }));
      const transactions = jest.spyOn(d.db, 'transaction');
      const logs = captureLogs();
      const started = Date.now();
      expect(await post(tenantId, webhookSecretOf(tenantId), reports)).toEqual({
        received: MSG91_WEBHOOK_MAX_REPORTS,
        applied: MSG91_WEBHOOK_MAX_REPORTS,
        unknown: 0,
        ignored: 0,
      });
      const ms = Date.now() - started;
      expect(transactions).toHaveBeenCalledTimes(1);
      const mine = logs.filter((l) => l.includes('Msg91Webhook'));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toContain(`${MSG91_WEBHOOK_MAX_REPORTS} received, ${MSG91_WEBHOOK_MAX_REPORTS} applied, 0 unknown`);
      const statuses = await d.db.query(`SELECT status_code, count(*)::int AS n FROM jobs WHERE id = ANY($1) GROUP BY 1`, [ids]);
      expect(statuses).toEqual([{ status_code: 'delivered', n: MSG91_WEBHOOK_MAX_REPORTS }]);
      const events = await d.db.query(
        `SELECT count(*)::int AS n FROM outbox WHERE type = 'JTD_STATUS_CHANGED' AND aggregate_id = ANY($1) AND payload->>'newStatus' = 'delivered'`,
        [ids],
      );
      expect(events[0].n).toBe(MSG91_WEBHOOK_MAX_REPORTS);
      // Measured on the development machine: well under a second for the lot (2.1 s for 2,000 before, one transaction each).
      expect(ms).toBeLessThan(10_000);
    });

    it(`refuses more than ${MSG91_WEBHOOK_MAX_REPORTS} reports with 413 before applying any`, async () => {
      const tenantId = await tenantWithAllChannels(d.db);
      const [id] = await sentJobs(tenantId, 1, 'over');
      const reports = Array.from({ length: MSG91_WEBHOOK_MAX_REPORTS + 1 }, () => ({ requestId: 'over-0', status: '1' }));
      const e = await post(tenantId, webhookSecretOf(tenantId), reports).catch((err) => err);
      expect(e).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { maxReports: MSG91_WEBHOOK_MAX_REPORTS, received: MSG91_WEBHOOK_MAX_REPORTS + 1 } });
      expect((await job(d.db, id)).status_code).toBe('sent');
      expect((await d.db.query(`SELECT count(*)::int AS n FROM webhook_receipts WHERE jtd_id = $1`, [id]))[0].n).toBe(0);
    });

    it('refuses a body with a malformed item (400 naming it) and applies none of its reports', async () => {
      const tenantId = await tenantWithAllChannels(d.db);
      const [id] = await sentJobs(tenantId, 1, 'bad');
      const e = await post(tenantId, webhookSecretOf(tenantId), [{ requestId: 'bad-0', status: '1' }, null]).catch((err) => err);
      expect(e).toMatchObject({ code: 'VALIDATION_FAILED', fieldErrors: { 'payload.1': expect.any(Array) } });
      expect((await job(d.db, id)).status_code).toBe('sent');
    });

    it('moves a job through each of its reports in body order; a repeated report is applied once; unknown ids are named in the line', async () => {
      const tenantId = await tenantWithAllChannels(d.db);
      const [id] = await sentJobs(tenantId, 1, 'steps');
      const logs = captureLogs();
      const body = [
        { requestId: 'steps-0', status: 'delivered' },
        { requestId: 'steps-0', status: 'delivered' },
        { requestId: 'steps-0', status: 'read' },
        { requestId: 'ghost-1', status: '1' },
        { requestId: 'steps-0', status: 'delivered', uuid: 'late' },
      ];
      expect(await post(tenantId, webhookSecretOf(tenantId), body, 'sms')).toEqual({ received: 5, applied: 2, unknown: 1, ignored: 0 });
      expect((await historyOf(d.db, id)).slice(-2).map((h) => [h.to_status, h.actor_type])).toEqual([
        ['delivered', 'webhook'],
        ['read', 'webhook'],
      ]);
      expect((await job(d.db, id)).status_code).toBe('read');
      const line = logs.filter((l) => l.includes('Msg91Webhook'));
      expect(line).toHaveLength(1);
      expect(line[0]).toMatch(/5 received, 2 applied, 1 unknown, 0 ignored, 2 replayed, 0 stale.*unknown request ids ghost-1/);
    });
  });
});
