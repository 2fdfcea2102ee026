import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, SYSTEM_ACTORS } from '@app/shared/context/actor';
import { systemContext } from '@app/shared/context/request-context';
import { Outbox } from '@app/shared/messaging/outbox';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { JOB_COLUMNS, JobRow } from '../jobs/job-row';
import { JobStatusService } from '../jobs/job-status.service';
import { JtdMetrics } from '../metrics/jtd-metrics';
import { maskSecrets, SendOutcome, SendRequest } from '../providers/delivery-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { checkRecipient } from '../recipients/recipient-validator';
import { TenantConfig, TenantConfigRepository } from '../settings/tenant-config.repository';
import { MissingVariableError, renderTemplate, smsSegments } from '../templates/template-renderer';
import { TemplatesRepository } from '../templates/templates.repository';
import { JtdClock } from '../time/clock';
import { DeliveryGates } from './delivery-gates';
import { quietHoursRelease } from './quiet-hours';
import { retryDelayMs } from './retry-policy';

/** Statuses the worker picks up when their `next_attempt_at` is due. */
const DUE_STATUSES = ['scheduled', 'pending', 'held', 'failed', 'queued'];
/** Channels we deliver ourselves (idempotent by job id), so an interrupted send can simply run again. */
const INTERNAL_CHANNELS = ['inapp'];

interface Prepared {
  job: JobRow;
  request: SendRequest;
  performer: Actor;
  channelCost: string;
}

/**
 * The dispatcher loop. Jobs live in Postgres: each replica claims due jobs with `FOR UPDATE SKIP LOCKED`
 * and a lease, so scheduled work runs exactly once across replicas. It wakes on NOTIFY `jtd_jobs` (new
 * work) and polls as a fallback. A send happens outside any transaction, under the `executing` lease:
 *
 * - the provider's message id is written in the same statement that moves the job to `sent`;
 * - a replica that dies mid-send leaves an `executing` job whose lease expires. Its outcome is unknown,
 *   and neither MSG91 (10 s dedupe only) nor FCM offers an idempotency key, so re-sending could send twice.
 *   The recovery rule: external channels → `failed` with error code UNKNOWN_OUTCOME and no automatic
 *   retry (a person retries after checking); in-app and test-mode jobs are idempotent by job id → back to
 *   `pending`. The job is never lost, and never sent twice by the dispatcher itself.
 */
@Injectable()
export class DispatcherWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DispatcherWorker');
  readonly workerId: string;
  private timer?: NodeJS.Timeout;
  private listener?: Client;
  private running = false;
  private wakeRequested = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: JtdDispatcherConfig,
    private readonly clock: JtdClock,
    private readonly status: JobStatusService,
    private readonly tenants: TenantConfigRepository,
    private readonly templates: TemplatesRepository,
    private readonly providers: ProviderRegistry,
    private readonly gates: DeliveryGates,
    private readonly metrics: JtdMetrics,
    @Optional() private readonly outbox?: Outbox,
  ) {
    this.workerId = config.JTD_WORKER_ID ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.JTD_WORKER_ENABLED) return;
    await this.listen().catch((err) => this.logger.warn(`LISTEN failed, polling only: ${err.message}`));
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.listener?.end().catch(() => undefined);
    for (let i = 0; i < 200 && this.running; i++) await new Promise((r) => setTimeout(r, 25));
  }

  /** One pass: recover expired leases, then claim and process due jobs until none is left. Returns jobs handled. */
  async tick(): Promise<number> {
    await this.recoverExpiredLeases();
    let handled = 0;
    for (;;) {
      const claimed = await this.claim(this.config.JTD_BATCH_SIZE);
      if (claimed.length === 0) break;
      // Same priority runs concurrently; a higher priority goes first, so it gets the rate slots first.
      const waves = new Map<number, typeof claimed>();
      for (const c of claimed) waves.set(c.priority, [...(waves.get(c.priority) ?? []), c]);
      for (const p of [...waves.keys()].sort((x, y) => y - x)) {
        await Promise.all(waves.get(p)!.map((c) => this.process(c).catch((err) => this.logger.error(`job ${c.id}: ${err?.stack ?? err}`))));
      }
      handled += claimed.length;
      if (this.stopped) break;
    }
    await this.refreshGauges().catch(() => undefined);
    return handled;
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.loop(), delay);
  }

  private async loop() {
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.wakeRequested = false;
        await this.tick();
      } while (this.wakeRequested && !this.stopped);
    } catch (err) {
      this.logger.error(`dispatcher pass failed: ${(err as Error)?.message}`);
    } finally {
      this.running = false;
      this.schedule(this.config.JTD_POLL_INTERVAL_MS);
    }
  }

  private async listen() {
    const url = new URL(this.config.DATABASE_URL);
    url.username = this.config.DB_USER;
    url.password = this.config.DB_PASSWORD;
    this.listener = new Client({ connectionString: url.toString() });
    this.listener.on('error', () => undefined);
    await this.listener.connect();
    this.listener.on('notification', () => {
      if (this.timer) clearTimeout(this.timer);
      if (this.running) this.wakeRequested = true;
      else this.schedule(0);
    });
    await this.listener.query('LISTEN jtd_jobs');
  }

  /** Due jobs, highest priority first, leased to this replica; locked rows of other replicas are skipped. */
  async claim(limit: number): Promise<Array<{ id: string; priority: number; channelCode: string }>> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.config.JTD_LEASE_MS);
    const rows = await this.dataSource.query(
      `UPDATE jobs SET lease_owner = $1, lease_until = $2
       WHERE id IN (
         SELECT id FROM jobs
         WHERE status_code = ANY($3) AND next_attempt_at IS NOT NULL AND next_attempt_at <= $4 AND auto_execute
           AND (lease_until IS NULL OR lease_until < $4)
         ORDER BY priority DESC, next_attempt_at
         LIMIT $5 FOR UPDATE SKIP LOCKED)
       RETURNING id, priority, channel_code AS "channelCode"`,
      [this.workerId, leaseUntil, DUE_STATUSES, now, limit],
    );
    return rows[0];
  }

  /** Gates, then queued → executing, the send, and the outcome. */
  async process(claimed: { id: string; channelCode: string }): Promise<void> {
    // The channel's rate slot is taken before the job's transaction, as one statement: the bucket row is
    // shared by every job of the channel, and holding its lock until the job's commit would serialise them.
    // A slot taken for a job that is then deferred, held or failed is left unused (the cap errs low).
    const limit = await this.dataSource.query(`SELECT rate_limit_per_minute AS "limit" FROM channels WHERE code = $1`, [claimed.channelCode]);
    const rateSlot = await this.gates.takeRateSlot(this.dataSource.manager, claimed.channelCode, limit[0].limit, this.clock.now());
    const id = claimed.id;
    const prepared = await this.dataSource.transaction((tx) => this.prepare(tx, id, rateSlot));
    if (!prepared) return;
    const started = Date.now();
    let outcome: SendOutcome;
    try {
      outcome = await this.deliver(prepared);
    } catch (err) {
      outcome = { kind: 'retryable', code: 'DISPATCH_ERROR', message: (err as Error)?.message ?? String(err) };
    }
    await this.dataSource.transaction((tx) => this.finish(tx, prepared, outcome, Date.now() - started));
  }

  private async prepare(tx: EntityManager, id: string, rateSlot: { ok: true } | { ok: false; retryAt: Date }): Promise<Prepared | null> {
    const job: JobRow | undefined = (await tx.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 AND lease_owner = $2 FOR UPDATE`, [id, this.workerId]))[0];
    if (!job || !DUE_STATUSES.includes(job.statusCode)) return null;
    const now = this.clock.now();
    const config = await this.tenants.get(job.tenantId, tx);
    const performer = job.performedByType === 'vani' ? SYSTEM_ACTORS.vani : SYSTEM_ACTORS.system;
    const release = { lease_owner: null, lease_until: null };
    let current = job;
    const moveTo = async (to: string, opts: Parameters<JobStatusService['move']>[4] = {}) => {
      if (current.statusCode !== to) {
        current = await this.status.move(tx, current, to, performer, opts);
      } else if (opts.set) {
        const cols = Object.keys(opts.set);
        await tx.query(`UPDATE jobs SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [job.id, ...Object.values(opts.set)]);
      }
    };
    const fail = async (code: string, message: string) => {
      await moveTo('failed', { note: message, set: { ...release, next_attempt_at: null, last_error: message, error_code: code } });
      this.metrics.failed.inc({ channel: job.channelCode, code });
      return null;
    };

    // A permanent problem with the message itself fails now, before any slot or quota is used.
    const dead = new Set<string>((await tx.query(`SELECT token FROM dead_device_tokens WHERE tenant_id = $1`, [job.tenantId])).map((r: any) => r.token));
    const recipient = checkRecipient(job.channelCode, job.recipient, dead);
    if (!recipient.ok) return fail('INVALID_RECIPIENT', recipient.reason);
    const template = job.templateId ? await this.templates.byId(job.tenantId, job.templateId, tx) : null;
    if (!template) return fail('NO_TEMPLATE', `template ${job.templateKey} no longer exists`);
    let rendered;
    try {
      rendered = renderTemplate(template, job.variables);
    } catch (err) {
      if (err instanceof MissingVariableError) return fail('MISSING_VARIABLE', err.message);
      throw err;
    }
    if (job.channelCode === 'sms') {
      const seg = smsSegments(rendered.body);
      if (seg.segments > this.config.SMS_MAX_SEGMENTS) return fail('SMS_TOO_LONG', `SMS needs ${seg.segments} ${seg.encoding} segments (max ${this.config.SMS_MAX_SEGMENTS})`);
    }

    const quiet = job.channelCode === 'inapp' ? null : quietHoursRelease(now, config.timezone, config.quietHoursStart, config.quietHoursEnd);
    if (quiet) {
      await moveTo('scheduled', { note: `quiet hours until ${quiet.toISOString()}`, set: { ...release, next_attempt_at: quiet } });
      return null;
    }
    const channel = await this.channelInfo(tx, job.channelCode);
    const slot = rateSlot;
    if (!slot.ok) {
      // Over the provider's per-minute rate: wait for the next minute without changing the status.
      await tx.query(`UPDATE jobs SET next_attempt_at = $2, lease_owner = NULL, lease_until = NULL WHERE id = $1`, [job.id, slot.retryAt]);
      return null;
    }
    if (job.attempts === 0) {
      const usage = await this.gates.takeUsage(tx, config, now);
      if (!usage.ok) {
        await moveTo('held', { note: `${usage.limit} limit reached; released ${usage.releaseAt.toISOString()}`, set: { ...release, next_attempt_at: usage.releaseAt } });
        return null;
      }
    }
    if (current.statusCode !== 'pending' && current.statusCode !== 'queued') await moveTo('pending');
    await moveTo('queued');
    const leaseUntil = new Date(now.getTime() + this.config.JTD_LEASE_MS);
    await moveTo('executing', {
      set: { lease_until: leaseUntil, send_started_at: now, attempts: job.attempts + 1, next_attempt_at: null, recipient_contact: recipient.contact, rendered: JSON.stringify({ subject: rendered.subject, body: rendered.body }) },
    });
    return {
      job: { ...current, attempts: job.attempts + 1 },
      performer,
      channelCost: channel.cost,
      request: {
        jtdId: job.id,
        tenantId: job.tenantId,
        recipientName: job.recipientName,
        recipientId: job.recipientId,
        contact: recipient.contact,
        template,
        rendered,
        metadata: job.businessContext,
        credentials: this.providers.credentials(config.providerProfile),
      },
    };
  }

  private async deliver(p: Prepared): Promise<SendOutcome> {
    const { job, request } = p;
    if (job.channelCode === 'inapp') return this.deliverInapp(p);
    const adapter = this.providers.adapter(job.channelCode);
    if (!adapter) return { kind: 'permanent', code: 'NO_ADAPTER', message: `no adapter for ${job.channelCode}` };
    if (!job.isLive) {
      // Test mode: nothing leaves the system; what would have been sent is kept for the API.
      const built = await adapter.buildRequest(request);
      const rows = await this.dataSource.query(
        `INSERT INTO sandbox_messages (tenant_id, jtd_id, channel_code, provider, request) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (jtd_id) DO UPDATE SET request = EXCLUDED.request RETURNING id`,
        [job.tenantId, job.id, job.channelCode, adapter.provider, JSON.stringify({ ...built, headers: maskSecrets(built.headers) })],
      );
      return { kind: 'sent', providerMessageId: `sandbox:${rows[0].id}` };
    }
    return adapter.send(request);
  }

  private async deliverInapp(p: Prepared): Promise<SendOutcome> {
    const { job, request } = p;
    return this.dataSource.transaction(async (tx) => {
      const rows = await tx.query(
        `INSERT INTO inapp_notifications (tenant_id, user_id, title, body, metadata, source_jtd_id) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (source_jtd_id) DO NOTHING RETURNING id`,
        [job.tenantId, request.contact, (request.rendered.subject ?? job.sourceTypeCode).slice(0, 255), request.rendered.body, JSON.stringify(job.businessContext), job.id],
      );
      if (rows.length === 0) {
        const existing = await tx.query(`SELECT id FROM inapp_notifications WHERE source_jtd_id = $1`, [job.id]);
        return { kind: 'sent', providerMessageId: existing[0].id } as SendOutcome;
      }
      if (this.outbox) {
        await this.outbox.append(tx, { ...systemContext(job.tenantId), actor: p.performer }, [
          {
            type: 'INAPP_NOTIFICATION_CREATED',
            aggregateId: rows[0].id,
            payload: { notificationId: rows[0].id, userId: request.contact, title: (request.rendered.subject ?? job.sourceTypeCode).slice(0, 255), body: request.rendered.body, jtdId: job.id },
          },
        ]);
      }
      return { kind: 'sent', providerMessageId: rows[0].id } as SendOutcome;
    });
  }

  private async finish(tx: EntityManager, p: Prepared, outcome: SendOutcome, latencyMs: number): Promise<void> {
    const job: JobRow | undefined = (await tx.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 FOR UPDATE`, [p.job.id]))[0];
    if (!job) return;
    const provider = job.channelCode === 'inapp' ? 'internal' : job.isLive ? (this.providers.adapter(job.channelCode)?.provider ?? 'unknown') : 'sandbox';
    await tx.query(
      `INSERT INTO attempts (tenant_id, jtd_id, attempt_no, provider, outcome, http_status, provider_code, provider_message_id, error, retry_after_ms, latency_ms, at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      [
        job.tenantId, job.id, p.job.attempts, provider, outcome.kind, outcome.httpStatus ?? null, outcome.kind === 'sent' ? null : outcome.code,
        outcome.kind === 'sent' ? outcome.providerMessageId : null, outcome.kind === 'sent' ? null : outcome.message,
        outcome.kind === 'retryable' ? (outcome.retryAfterMs ?? null) : null, latencyMs, this.clock.now(),
      ],
    );
    const ownsIt = job.statusCode === 'executing' && job.leaseOwner === this.workerId;
    const recoveredUnknown = job.statusCode === 'failed' && job.errorCode === 'UNKNOWN_OUTCOME';
    if (!ownsIt && !(recoveredUnknown && outcome.kind === 'sent')) {
      this.logger.warn(`job ${job.id} is no longer leased to this worker (${job.statusCode}); outcome ${outcome.kind} recorded as an attempt only`);
      return;
    }
    const now = this.clock.now();
    const release = { lease_owner: null, lease_until: null };
    if (outcome.kind === 'sent') {
      await this.status.move(tx, job, 'sent', p.performer, {
        set: { ...release, provider_message_id: outcome.providerMessageId, provider_code: provider, sent_at: now, cost: p.channelCost, last_error: null, error_code: null, provider_response: JSON.stringify(outcome.response ?? null) },
      });
      this.metrics.sent.inc({ channel: job.channelCode });
      this.metrics.latency.observe({ channel: job.channelCode }, (now.getTime() - new Date(job.createdAt).getTime()) / 1000);
      this.metrics.cost.inc({ tenant: job.tenantId, channel: job.channelCode }, Number(p.channelCost));
      return;
    }
    if (outcome.kind === 'permanent' && outcome.deadToken) {
      await tx.query(`INSERT INTO dead_device_tokens (tenant_id, token, reason) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING`, [job.tenantId, outcome.deadToken, outcome.code]);
    }
    const retry = outcome.kind === 'retryable' && job.attempts <= job.maxRetries;
    const nextAt = retry ? new Date(now.getTime() + retryDelayMs(job.attempts, job.retryDelaySeconds, outcome.retryAfterMs)) : null;
    await this.status.move(tx, job, 'failed', p.performer, {
      note: retry ? `${outcome.message}; retry ${job.attempts}/${job.maxRetries} at ${nextAt!.toISOString()}` : outcome.message,
      details: { code: outcome.code, httpStatus: outcome.httpStatus ?? null, retryable: outcome.kind === 'retryable' },
      set: { ...release, next_attempt_at: nextAt, last_error: outcome.message, error_code: outcome.code, provider_code: provider },
    });
    if (retry) this.metrics.retried.inc({ channel: job.channelCode });
    else this.metrics.failed.inc({ channel: job.channelCode, code: outcome.code });
  }

  /** Executing jobs whose lease ran out belong to a replica that died mid-send (see the class comment). */
  async recoverExpiredLeases(): Promise<number> {
    const now = this.clock.now();
    const ids: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM jobs WHERE status_code = 'executing' AND lease_until < $1 LIMIT 100`, [now]);
    for (const { id } of ids) {
      await this.dataSource.transaction(async (tx) => {
        const job: JobRow | undefined = (await tx.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 AND status_code = 'executing' AND lease_until < $2 FOR UPDATE SKIP LOCKED`, [id, now]))[0];
        if (!job) return;
        const safeToRepeat = INTERNAL_CHANNELS.includes(job.channelCode) || !job.isLive;
        if (safeToRepeat) {
          await this.status.move(tx, job, 'pending', SYSTEM_ACTORS.system, { note: 'lease expired during an idempotent send; sending again', set: { lease_owner: null, lease_until: null, next_attempt_at: now } });
        } else {
          const msg = 'send outcome unknown: the dispatcher stopped during the provider call; retry manually after checking the provider';
          await this.status.move(tx, job, 'failed', SYSTEM_ACTORS.system, { note: msg, set: { lease_owner: null, lease_until: null, next_attempt_at: null, last_error: msg, error_code: 'UNKNOWN_OUTCOME' } });
          this.metrics.failed.inc({ channel: job.channelCode, code: 'UNKNOWN_OUTCOME' });
        }
      });
    }
    return ids.length;
  }

  /** Read per job, not cached: an operator lowering a channel's rate takes effect on the next send. */
  private async channelInfo(tx: EntityManager, code: string): Promise<{ limit: number; cost: string }> {
    return (await tx.query(`SELECT rate_limit_per_minute AS "limit", cost_per_unit AS cost FROM channels WHERE code = $1`, [code]))[0];
  }

  private async refreshGauges() {
    const rows = await this.dataSource.query(`SELECT status_code AS s, count(*)::int AS n FROM jobs WHERE status_code IN ('held','scheduled') GROUP BY status_code`);
    const by = Object.fromEntries(rows.map((r: any) => [r.s, r.n]));
    this.metrics.held.set(by.held ?? 0);
    this.metrics.scheduled.set(by.scheduled ?? 0);
  }
}

export type { TenantConfig };
