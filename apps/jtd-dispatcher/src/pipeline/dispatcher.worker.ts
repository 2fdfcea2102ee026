import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, SYSTEM_ACTORS } from '@app/shared/context/actor';
import { systemContext } from '@app/shared/context/request-context';
import { Outbox } from '@app/shared/messaging/outbox';
import { maskSecretValues } from '@app/shared/security/sealed-fields';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { JOB_COLUMNS, JobRow } from '../jobs/job-row';
import { BulkMove, JobStatusService } from '../jobs/job-status.service';
import { JtdMetrics } from '../metrics/jtd-metrics';
import { maskSecrets, SendOutcome, SendRequest } from '../providers/delivery-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { checkRecipient } from '../recipients/recipient-validator';
import { CONFIG_CHANNEL, JtdConfigCache } from '../settings/jtd-config-cache';
import { TenantConfig, TenantConfigRepository } from '../settings/tenant-config.repository';
import { MessageComposer, SECRET_MASK, UnreadableSecretError } from '../templates/message-composer';
import { MissingVariableError, RenderedMessage, smsSegments } from '../templates/template-renderer';
import { StoredTemplate, TemplatesRepository } from '../templates/templates.repository';
import { JtdClock } from '../time/clock';
import { DeliveryGates } from './delivery-gates';
import { JOBS_CHANNEL, JobWakeups } from './job-wakeups';
import { quietHoursRelease } from './quiet-hours';
import { retryDelayMs } from './retry-policy';

/** Statuses the worker picks up when their `next_attempt_at` is due. */
const DUE_STATUSES = ['scheduled', 'pending', 'held', 'failed', 'queued'];
/** Jobs whose provider calls may be running at once, in batches' worth (JTD_BATCH_SIZE each). */
const IN_FLIGHT_BATCHES = 4;
/** Channels we deliver ourselves (idempotent by job id), so an interrupted send can simply run again. */
const INTERNAL_CHANNELS = ['inapp'];

interface Prepared {
  job: JobRow;
  request: SendRequest;
  performer: Actor;
  channelCost: string;
  /** The message with its secrets masked: what is stored and what an in-app reader sees. */
  shown: RenderedMessage;
  /** Clear values of sealed variables, masked in whatever is kept of the send (provider answer, errors). */
  secrets: string[];
  /** Test mode: the request that would have been made (secrets masked), stored with the outcome. */
  sandbox?: { provider: string; request: unknown };
}

/** A job that passed the message checks and quiet hours, waiting for its rate slot and usage. */
interface Candidate {
  job: JobRow;
  config: TenantConfig;
  contact: string;
  template: StoredTemplate;
  rendered: RenderedMessage;
  shown: RenderedMessage;
  secrets: string[];
}

interface Sent {
  p: Prepared;
  outcome: SendOutcome;
  latencyMs: number;
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const i of items) (out.get(key(i)) ?? out.set(key(i), []).get(key(i))!).push(i);
  return out;
}

/**
 * The dispatcher loop. Jobs live in Postgres: each replica claims due jobs with `FOR UPDATE SKIP LOCKED`
 * and a lease, so scheduled work runs exactly once across replicas. It wakes when jobs become due (in
 * process, or by NOTIFY `jtd_jobs` from another replica: JobWakeups) and polls as a fallback. A send
 * happens outside any transaction, under the `executing` lease:
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
  private gaugesAt = 0;
  private rateBucketsPurgedAt = 0;
  private unsubscribeWakeups?: () => void;

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
    private readonly cache: JtdConfigCache,
    private readonly wakeups: JobWakeups,
    private readonly composer: MessageComposer,
    @Optional() private readonly outbox?: Outbox,
  ) {
    this.workerId = config.JTD_WORKER_ID ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.JTD_WORKER_ENABLED) return;
    this.unsubscribeWakeups = this.wakeups.onWake(() => this.wake());
    await this.listen().catch((err) => this.logger.warn(`LISTEN failed, polling only: ${err.message}`));
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribeWakeups?.();
    if (this.timer) clearTimeout(this.timer);
    await this.listener?.end().catch(() => undefined);
    for (let i = 0; i < 200 && this.running; i++) await new Promise((r) => setTimeout(r, 25));
  }

  /**
   * One pass: recover expired leases, then claim and process due jobs until none is left. Returns jobs
   * handled. Claiming does not wait for the previous batches' provider calls: up to
   * `IN_FLIGHT_BATCHES` × JTD_BATCH_SIZE jobs are being sent and finished while the next batch is claimed,
   * so one slow provider answer does not stall the queue (bounded by jobs, not batches: under a steady
   * trickle batches are small).
   */
  async tick(): Promise<number> {
    await this.recoverExpiredLeases();
    let handled = 0;
    let jobsInFlight = 0;
    const inFlight = new Set<Promise<void>>();
    const maxInFlight = IN_FLIGHT_BATCHES * this.config.JTD_BATCH_SIZE;
    try {
      for (;;) {
        while (jobsInFlight >= maxInFlight) await Promise.race(inFlight);
        const batch = await this.claimAndPrepare(Math.min(this.config.JTD_BATCH_SIZE, maxInFlight - jobsInFlight));
        if (batch.claimed === 0) break;
        handled += batch.claimed;
        jobsInFlight += batch.claimed;
        const run: Promise<void> = this.sendAndFinish(batch.prepared).finally(() => {
          jobsInFlight -= batch.claimed;
          inFlight.delete(run);
        });
        inFlight.add(run);
        if (this.stopped) break;
      }
    } finally {
      await Promise.all(inFlight);
    }
    await this.refreshGauges().catch(() => undefined);
    await this.purgeRateBuckets().catch(() => undefined);
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
    this.listener.on('notification', (n) => {
      if (n.channel === CONFIG_CHANNEL) return this.cache.invalidate(n.payload || undefined);
      this.wake();
    });
    await this.listener.query(`LISTEN ${JOBS_CHANNEL}; LISTEN ${CONFIG_CHANNEL}`);
  }

  /** Jobs became due (here or, by NOTIFY, in another replica): run a pass now, or another right after this one. */
  private wake() {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) this.wakeRequested = true;
    else this.schedule(0);
  }

  /**
   * Claims due jobs (highest priority first; rows another replica holds are skipped) and, in the same
   * transaction, runs the gates for all of them and moves the ones that may go to `executing` under this
   * replica's lease. A rolled-back batch leaves its jobs due, as they were.
   *
   * Per batch, not per job: one claim, one rate statement per channel, one usage lock per limited tenant,
   * one UPDATE per kind of move and one history INSERT. Config and templates come from the cache.
   */
  async claimAndPrepare(limit: number): Promise<{ claimed: number; prepared: Prepared[] }> {
    const channels = await this.channels();
    return this.dataSource.transaction(async (tx) => {
      const now = this.clock.now();
      const leaseUntil = new Date(now.getTime() + this.config.JTD_LEASE_MS);
      // Locked, not yet leased: every claimed job gets exactly one UPDATE below (its move, its wait for a
      // rate slot, or its lease), so a job costs one row version here instead of two. The locks keep other
      // replicas off until commit, and what is committed then keeps them off (executing under a lease, or
      // due later).
      const claimed: JobRow[] = await tx.query(
        `SELECT ${JOB_COLUMNS} FROM jobs
         WHERE status_code = ANY($1) AND next_attempt_at IS NOT NULL AND next_attempt_at <= $2 AND auto_execute
           AND (lease_until IS NULL OR lease_until < $2)
         ORDER BY priority DESC, next_attempt_at
         LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [DUE_STATUSES, now, limit],
      );
      if (claimed.length === 0) return { claimed: 0, prepared: [] };

      const release = { lease_owner: null, lease_until: null };
      const moves: BulkMove[] = [];
      const waitForSlot: Array<{ id: string; at: Date }> = [];
      const performerOf = (job: JobRow) => (job.performedByType === 'vani' ? SYSTEM_ACTORS.vani : SYSTEM_ACTORS.system);
      const fail = (job: JobRow, code: string, message: string) => {
        moves.push({ job, path: ['failed'], performer: performerOf(job), opts: { note: message, set: { ...release, next_attempt_at: null, last_error: message, error_code: code } } });
        this.metrics.failed.inc({ channel: job.channelCode, code });
      };
      const dead = await this.deadTokens(tx, claimed);

      // A permanent problem with the message itself fails now, before any slot or quota is used.
      const passing: Candidate[] = [];
      const broken: string[] = [];
      for (const job of claimed) {
        try {
          const c = await this.check(job, now, dead, fail);
          if (c && 'quietUntil' in c) {
            const note = `quiet hours until ${c.quietUntil.toISOString()}`;
            moves.push({ job, path: ['scheduled'], performer: performerOf(job), opts: { note, set: { ...release, next_attempt_at: c.quietUntil } } });
          } else if (c) passing.push(c);
        } catch (err) {
          // One job's unexpected error must not roll back the batch: it is leased untouched, and claimed
          // again when the lease expires.
          this.logger.error(`job ${job.id}: ${(err as Error)?.stack ?? err}`);
          broken.push(job.id);
        }
      }

      // The channel's rate slots, for the whole batch in one autocommit statement on another connection:
      // the bucket row is shared by every replica, and holding its lock until this transaction commits
      // would serialise them. A slot taken for a job that is then held is left unused (the cap errs low).
      const withSlot: Candidate[] = [];
      for (const [channel, group] of groupBy(passing, (c) => c.job.channelCode)) {
        const info = channels.get(channel);
        const { granted, retryAt } = await this.gates.takeRateSlots(this.dataSource, channel, group.length, info?.limit ?? 0, now);
        withSlot.push(...group.slice(0, granted));
        // Over the provider's per-minute rate: wait for the next minute without changing the status.
        for (const c of group.slice(granted)) waitForSlot.push({ id: c.job.id, at: retryAt });
      }

      // Daily/monthly limits count a job once, on its first attempt; tenants in a fixed order (row locks).
      const go: Candidate[] = withSlot.filter((c) => c.job.attempts > 0);
      const firsts = [...groupBy(withSlot.filter((c) => c.job.attempts === 0), (c) => c.job.tenantId)].sort(([x], [y]) => (x < y ? -1 : 1));
      for (const [, group] of firsts) {
        const usage = await this.gates.takeUsage(tx, group[0].config, now, group.length);
        go.push(...group.slice(0, usage.granted));
        for (const c of group.slice(usage.granted)) {
          const h = usage.held!;
          moves.push({ job: c.job, path: ['held'], performer: performerOf(c.job), opts: { note: `${h.limit} limit reached; released ${h.releaseAt.toISOString()}`, set: { ...release, next_attempt_at: h.releaseAt } } });
        }
      }

      const prepared: Prepared[] = [];
      for (const c of go) {
        const job = c.job;
        const path = [...(job.statusCode !== 'pending' && job.statusCode !== 'queued' ? ['pending'] : []), ...(job.statusCode !== 'queued' ? ['queued'] : []), 'executing'];
        moves.push({
          job,
          path,
          performer: performerOf(job),
          opts: {
            set: {
              lease_owner: this.workerId, lease_until: leaseUntil, send_started_at: now, attempts: job.attempts + 1, next_attempt_at: null, recipient_contact: c.contact,
              rendered: JSON.stringify({ subject: c.shown.subject, body: c.shown.body }),
            },
          },
        });
        prepared.push({
          job: { ...job, attempts: job.attempts + 1 },
          performer: performerOf(job),
          channelCost: channels.get(job.channelCode)?.cost ?? '0',
          shown: c.shown,
          secrets: c.secrets,
          request: {
            jtdId: job.id,
            tenantId: job.tenantId,
            recipientName: job.recipientName,
            recipientId: job.recipientId,
            contact: c.contact,
            template: c.template,
            rendered: c.rendered,
            metadata: job.businessContext,
            // In-app jobs use no provider account: the defaults stand in, whatever the profile.
            credentials: this.providers.credentials(job.tenantId, this.providers.adapter(job.channelCode) ? c.config.providerProfile : null),
          },
        });
      }
      const moved = new Map((await this.status.moveMany(tx, moves)).map((j) => [j.id, j]));
      for (const p of prepared) p.job = { ...moved.get(p.job.id)!, attempts: p.job.attempts };
      if (broken.length) await tx.query(`UPDATE jobs SET lease_owner = $2, lease_until = $3 WHERE id = ANY($1)`, [broken, this.workerId, leaseUntil]);
      if (waitForSlot.length) {
        await tx.query(
          `UPDATE jobs j SET next_attempt_at = v.at, lease_owner = NULL, lease_until = NULL
           FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, at timestamptz) WHERE j.id = v.id`,
          [JSON.stringify(waitForSlot)],
        );
      }
      return { claimed: claimed.length, prepared };
    });
  }

  /**
   * The per-job gates that need no shared counter: recipient, template and rendering, SMS length (fail
   * now, before any slot or quota is used), then quiet hours (→ scheduled). Answers the job ready for its
   * rate slot, the end of the quiet hours, or null when failed.
   */
  private async check(job: JobRow, now: Date, dead: Map<string, Set<string>>, fail: (job: JobRow, code: string, message: string) => void): Promise<Candidate | { quietUntil: Date } | null> {
    const config = await this.tenants.cached(job.tenantId);
    // The profile was allowed when it was set; the binding may have been withdrawn since (JTD_TENANT_PROVIDERS).
    const profileProblem = this.providers.adapter(job.channelCode) ? this.providers.profileProblem(job.tenantId, config.providerProfile) : undefined;
    if (profileProblem) {
      fail(job, 'PROVIDER_PROFILE_NOT_ALLOWED', profileProblem);
      return null;
    }
    const recipient = checkRecipient(job.channelCode, job.recipient, dead.get(job.tenantId) ?? new Set());
    if (!recipient.ok) {
      fail(job, 'INVALID_RECIPIENT', recipient.reason);
      return null;
    }
    const template = job.templateId ? await this.templates.cachedById(job.tenantId, job.templateId) : null;
    if (!template) {
      fail(job, 'NO_TEMPLATE', `template ${job.templateKey} no longer exists`);
      return null;
    }
    let message;
    try {
      message = this.composer.compose(template, job.variables, job.tenantId);
    } catch (err) {
      if (err instanceof UnreadableSecretError) fail(job, 'UNREADABLE_SECRET', err.message);
      else if (err instanceof MissingVariableError) fail(job, 'MISSING_VARIABLE', err.message);
      else throw err;
      return null;
    }
    const { rendered, shown, secrets } = message;
    if (job.channelCode === 'sms') {
      const seg = smsSegments(rendered.body);
      if (seg.segments > this.config.SMS_MAX_SEGMENTS) {
        fail(job, 'SMS_TOO_LONG', `SMS needs ${seg.segments} ${seg.encoding} segments (max ${this.config.SMS_MAX_SEGMENTS})`);
        return null;
      }
    }
    const quiet = job.channelCode === 'inapp' ? null : quietHoursRelease(now, config.timezone, config.quietHoursStart, config.quietHoursEnd);
    if (quiet) return { quietUntil: quiet };
    return { job, config, contact: recipient.contact, template, rendered, shown, secrets };
  }

  /** Sends a prepared batch (higher priority first, the same priority in parallel), then records every outcome at once. */
  private async sendAndFinish(prepared: Prepared[]): Promise<void> {
    const results: Sent[] = [];
    const waves = groupBy(prepared, (p) => p.job.priority);
    for (const priority of [...waves.keys()].sort((x, y) => y - x)) {
      await Promise.all(
        waves.get(priority)!.map(async (p) => {
          const started = Date.now();
          let outcome: SendOutcome;
          try {
            outcome = await this.deliver(p);
          } catch (err) {
            outcome = { kind: 'retryable', code: 'DISPATCH_ERROR', message: (err as Error)?.message ?? String(err) };
          }
          // A provider may echo what it was sent (an error quoting the message): none of it is kept in clear.
          results.push({ p, outcome: maskSecretValues(outcome, p.secrets, SECRET_MASK), latencyMs: Date.now() - started });
        }),
      );
    }
    if (results.length === 0) return;
    try {
      await this.dataSource.transaction((tx) => this.finish(tx, results));
    } catch (err) {
      // The jobs stay `executing` under this lease; when it expires they are recovered by the crash rule.
      this.logger.error(`recording ${results.length} outcomes failed: ${(err as Error)?.stack ?? err}`);
    }
  }

  private async deliver(p: Prepared): Promise<SendOutcome> {
    const { job, request } = p;
    if (job.channelCode === 'inapp') return this.deliverInapp(p);
    const adapter = this.providers.adapter(job.channelCode);
    if (!adapter) return { kind: 'permanent', code: 'NO_ADAPTER', message: `no adapter for ${job.channelCode}` };
    if (!job.isLive) {
      // Test mode: nothing leaves the system; what would have been sent is stored with the outcome (finish),
      // built from the masked message since it is kept and shown.
      const built = await adapter.buildRequest({ ...request, rendered: p.shown });
      p.sandbox = { provider: adapter.provider, request: { ...built, headers: maskSecrets(built.headers) } };
      return { kind: 'sent', providerMessageId: 'sandbox:pending' };
    }
    return adapter.send(request);
  }

  /** The inbox is read by tenant users: it gets the masked message, never an opened secret. */
  private async deliverInapp(p: Prepared): Promise<SendOutcome> {
    const { job, request } = p;
    const { subject, body } = p.shown;
    return this.dataSource.transaction(async (tx) => {
      const rows = await tx.query(
        `INSERT INTO inapp_notifications (tenant_id, user_id, title, body, metadata, source_jtd_id) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (source_jtd_id) DO NOTHING RETURNING id`,
        [job.tenantId, request.contact, (subject ?? job.sourceTypeCode).slice(0, 255), body, JSON.stringify(job.businessContext), job.id],
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
            payload: { notificationId: rows[0].id, userId: request.contact, title: (subject ?? job.sourceTypeCode).slice(0, 255), body, jtdId: job.id },
          },
        ]);
      }
      return { kind: 'sent', providerMessageId: rows[0].id } as SendOutcome;
    });
  }

  /** Every outcome of a batch in one transaction: sandbox rows, attempts, then the moves to sent / failed. */
  private async finish(tx: EntityManager, results: Sent[]): Promise<void> {
    const ids = results.map((r) => r.p.job.id);
    const rows: JobRow[] = await tx.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [ids]);
    const byId = new Map(rows.map((j) => [j.id, j]));
    const sandboxed = results.filter((r) => r.p.sandbox && r.outcome.kind === 'sent' && byId.has(r.p.job.id));
    if (sandboxed.length) {
      // Idempotent by job id: a job sent again after a lost lease keeps one sandbox row.
      const stored: Array<{ id: string; jtd_id: string }> = await tx.query(
        `INSERT INTO sandbox_messages (tenant_id, jtd_id, channel_code, provider, request)
         SELECT v.tenant_id, v.jtd_id, v.channel_code, v.provider, v.request
         FROM jsonb_to_recordset($1::jsonb) AS v(tenant_id uuid, jtd_id uuid, channel_code text, provider text, request jsonb)
         ON CONFLICT (jtd_id) DO UPDATE SET request = EXCLUDED.request RETURNING id, jtd_id`,
        [JSON.stringify(sandboxed.map((r) => ({ tenant_id: r.p.job.tenantId, jtd_id: r.p.job.id, channel_code: r.p.job.channelCode, provider: r.p.sandbox!.provider, request: r.p.sandbox!.request })))],
      );
      const sandboxId = new Map(stored.map((s) => [s.jtd_id, s.id]));
      for (const r of sandboxed) r.outcome = { kind: 'sent', providerMessageId: `sandbox:${sandboxId.get(r.p.job.id)}` };
    }
    const providerOf = (job: JobRow) => (job.channelCode === 'inapp' ? 'internal' : job.isLive ? (this.providers.adapter(job.channelCode)?.provider ?? 'unknown') : 'sandbox');
    const now = this.clock.now();
    const present = results.filter((r) => byId.has(r.p.job.id));
    if (present.length) {
      await tx.query(
        `INSERT INTO attempts (tenant_id, jtd_id, attempt_no, provider, outcome, http_status, provider_code, provider_message_id, error, retry_after_ms, latency_ms, at)
         SELECT v.tenant_id, v.jtd_id, v.attempt_no, v.provider, v.outcome, v.http_status, v.provider_code, v.provider_message_id, v.error, v.retry_after_ms, v.latency_ms, $2
         FROM jsonb_to_recordset($1::jsonb) AS v(tenant_id uuid, jtd_id uuid, attempt_no int, provider text, outcome text, http_status int, provider_code text,
           provider_message_id text, error text, retry_after_ms int, latency_ms int)`,
        [
          JSON.stringify(
            present.map(({ p, outcome, latencyMs }) => ({
              tenant_id: p.job.tenantId, jtd_id: p.job.id, attempt_no: p.job.attempts, provider: providerOf(p.job), outcome: outcome.kind,
              http_status: outcome.httpStatus ?? null, provider_code: outcome.kind === 'sent' ? null : outcome.code,
              provider_message_id: outcome.kind === 'sent' ? outcome.providerMessageId : null, error: outcome.kind === 'sent' ? null : outcome.message,
              retry_after_ms: outcome.kind === 'retryable' ? (outcome.retryAfterMs ?? null) : null, latency_ms: latencyMs,
            })),
          ),
          now,
        ],
      );
    }
    const release = { lease_owner: null, lease_until: null };
    const moves: BulkMove[] = [];
    const after: Array<() => void> = [];
    for (const { p, outcome } of present) {
      const job = byId.get(p.job.id)!;
      const provider = providerOf(job);
      const ownsIt = job.statusCode === 'executing' && job.leaseOwner === this.workerId;
      const recoveredUnknown = job.statusCode === 'failed' && job.errorCode === 'UNKNOWN_OUTCOME';
      if (!ownsIt && !(recoveredUnknown && outcome.kind === 'sent')) {
        this.logger.warn(`job ${job.id} is no longer leased to this worker (${job.statusCode}); outcome ${outcome.kind} recorded as an attempt only`);
        continue;
      }
      if (outcome.kind === 'sent') {
        // The provider's id is written by the same statement that makes the job `sent`.
        moves.push({
          job,
          path: ['sent'],
          performer: p.performer,
          opts: { set: { ...release, provider_message_id: outcome.providerMessageId, provider_code: provider, sent_at: now, cost: p.channelCost, last_error: null, error_code: null, provider_response: JSON.stringify(outcome.response ?? null) } },
        });
        after.push(() => {
          this.metrics.sent.inc({ channel: job.channelCode });
          this.metrics.latency.observe({ channel: job.channelCode }, (now.getTime() - new Date(job.createdAt).getTime()) / 1000);
          this.metrics.addCost(job.tenantId, job.channelCode, Number(p.channelCost));
        });
        continue;
      }
      if (outcome.kind === 'permanent' && outcome.deadToken) {
        await tx.query(`INSERT INTO dead_device_tokens (tenant_id, token, reason) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING`, [job.tenantId, outcome.deadToken, outcome.code]);
      }
      const retry = outcome.kind === 'retryable' && job.attempts <= job.maxRetries;
      const nextAt = retry ? new Date(now.getTime() + retryDelayMs(job.attempts, job.retryDelaySeconds, outcome.retryAfterMs)) : null;
      moves.push({
        job,
        path: ['failed'],
        performer: p.performer,
        opts: {
          note: retry ? `${outcome.message}; retry ${job.attempts}/${job.maxRetries} at ${nextAt!.toISOString()}` : outcome.message,
          details: { code: outcome.code, httpStatus: outcome.httpStatus ?? null, retryable: outcome.kind === 'retryable' },
          set: { ...release, next_attempt_at: nextAt, last_error: outcome.message, error_code: outcome.code, provider_code: provider },
        },
      });
      after.push(() => (retry ? this.metrics.retried.inc({ channel: job.channelCode }) : this.metrics.failed.inc({ channel: job.channelCode, code: outcome.code })));
    }
    await this.status.moveMany(tx, moves);
    for (const f of after) f();
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

  /** Read per batch, not cached: an operator lowering a channel's rate takes effect on the next batch. */
  private async channels(): Promise<Map<string, { limit: number; cost: string }>> {
    const rows = await this.dataSource.query(`SELECT code, rate_limit_per_minute AS "limit", cost_per_unit AS cost FROM channels`);
    return new Map(rows.map((r: any) => [r.code, { limit: r.limit, cost: r.cost }]));
  }

  /** Dead device tokens of the tenants with push jobs in the batch (only push recipients are checked against them). */
  private async deadTokens(tx: EntityManager, jobs: JobRow[]): Promise<Map<string, Set<string>>> {
    const tenants = [...new Set(jobs.filter((j) => j.channelCode === 'push').map((j) => j.tenantId))];
    const out = new Map<string, Set<string>>();
    if (tenants.length === 0) return out;
    const rows = await tx.query(`SELECT tenant_id, token FROM dead_device_tokens WHERE tenant_id = ANY($1)`, [tenants]);
    for (const r of rows) (out.get(r.tenant_id) ?? out.set(r.tenant_id, new Set()).get(r.tenant_id)!).add(r.token);
    return out;
  }

  /** Closed rate windows, at most every ten minutes (of the dispatcher's clock) per replica. */
  private async purgeRateBuckets() {
    const now = this.clock.now();
    if (now.getTime() - this.rateBucketsPurgedAt < 600_000) return;
    this.rateBucketsPurgedAt = now.getTime();
    await this.gates.purgeRateBuckets(this.dataSource, now);
  }

  /**
   * Held and scheduled jobs per tenant. A count over the table, so at most once a second however many
   * passes run; every replica reports the same numbers (take max, not sum, across replicas).
   */
  private async refreshGauges() {
    if (Date.now() - this.gaugesAt < 1000) return;
    this.gaugesAt = Date.now();
    const rows: Array<{ tenant: string; s: string; n: number }> = await this.dataSource.query(
      `SELECT tenant_id AS tenant, status_code AS s, count(*)::int AS n FROM jobs WHERE status_code IN ('held','scheduled') GROUP BY 1, 2`,
    );
    this.metrics.setWaiting(rows);
  }

}

export type { TenantConfig };
