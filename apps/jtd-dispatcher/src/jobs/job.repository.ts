import { Injectable } from '@nestjs/common';
import { Actor } from '@app/shared/context/actor';
import { cursorTime } from '@app/shared/contract/cursor';
import { sendWithNext } from '@app/shared/db/begin-with-first-statement';
import { Db, exec, execWithNext, many, maybeOne, Sql, sql } from '@app/shared/db/sql';
import { HistoryRow } from '@app/shared/status-machine/status-history';
import { JOB_COLUMNS, JobPatch, JobRow, PATCH_COLUMNS, patchFields } from './job-row';
import { NewJob } from './new-job';

/** Statuses the dispatcher picks up when their `next_attempt_at` is due. */
export const DUE_STATUSES = ['scheduled', 'pending', 'held', 'failed', 'queued'];

export interface JobListFilter {
  status?: string;
  channel?: string;
  eventType?: string;
  sourceType?: string;
  sourceId?: string;
  /** The keyset of the last item of the previous page (created_at to the microsecond, id). */
  after?: readonly [createdAt: string, id: string];
}

/** What a status change writes on the job's row (the status kit's `apply`). */
export interface JobStatusWrite {
  id: string;
  tenantId: string;
  status: string;
  previousStatus: string;
  isValidTransition: boolean;
  actor: Actor;
  /** Statuses passed through (the version goes up by as many). */
  steps: number;
  patch: JobPatch;
}

/** The `jobs` table: every read and write of a job row. Every API read is tenant-scoped. */
@Injectable()
export class JobRepository {
  /** Newest first, keyed on (created_at, id); `cursorAt` is the created_at key to the microsecond. */
  list(db: Db, tenantId: string, f: JobListFilter, limit: number): Promise<Array<JobRow & { cursorAt: string }>> {
    const where = [
      sql`j.tenant_id = ${tenantId}`,
      ...(f.status !== undefined ? [sql`j.status_code = ${f.status}`] : []),
      ...(f.channel !== undefined ? [sql`j.channel_code = ${f.channel}`] : []),
      ...(f.eventType !== undefined ? [sql`j.event_type_code = ${f.eventType}`] : []),
      ...(f.sourceType !== undefined ? [sql`j.source_type_code = ${f.sourceType}`] : []),
      ...(f.sourceId !== undefined ? [sql`j.source_id = ${f.sourceId}`] : []),
      ...(f.after ? [sql`(j.created_at, j.id) < (${f.after[0]}::timestamptz, ${f.after[1]}::uuid)`] : []),
    ];
    return many(
      db,
      sql`SELECT ${JOB_COLUMNS}, ${sql.raw(cursorTime('j.created_at'))} AS "cursorAt" FROM jobs j WHERE ${sql.join(where, ' AND ')}
          ORDER BY j.created_at DESC, j.id DESC LIMIT ${limit}`,
    );
  }

  byId(db: Db, tenantId: string, id: string): Promise<JobRow | null> {
    return maybeOne(db, sql`SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.id = ${id} AND j.tenant_id = ${tenantId}`);
  }

  /** The job, locked until the end of `tx`. */
  lock(tx: Db, tenantId: string, id: string): Promise<JobRow | null> {
    return maybeOne(tx, sql`SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.id = ${id} AND j.tenant_id = ${tenantId} FOR UPDATE`);
  }

  /**
   * Another job of the same request (request id, or source and source id) on `channel`, if any: a channel
   * fallback must not send the message a second time where the request already has its own job.
   */
  siblingOn(
    db: Db,
    job: Pick<JobRow, 'id' | 'tenantId' | 'requestId' | 'sourceTypeCode' | 'sourceId'>,
    channel: string,
  ): Promise<{ id: string; status: string } | null> {
    const sameRequest = job.requestId ? sql`j.dedupe_key = ${`req:${job.requestId}:${channel}`}` : sql`false`;
    const sameSource = job.sourceId ? sql`(j.source_type_code = ${job.sourceTypeCode} AND j.source_id = ${job.sourceId})` : sql`false`;
    return maybeOne(
      db,
      sql`SELECT j.id, j.status_code AS status FROM jobs j
          WHERE j.tenant_id = ${job.tenantId} AND j.id <> ${job.id} AND j.channel_code = ${channel} AND (${sameRequest} OR ${sameSource}) LIMIT 1`,
    );
  }

  /**
   * Due jobs, highest priority first, locked for `tx` (rows another replica holds are skipped): what the
   * dispatcher claims. Not yet leased: each gets exactly one UPDATE in the claiming transaction.
   */
  async claimDue(tx: Db, now: Date, limit: number): Promise<JobRow[]> {
    // The partial index of due jobs keeps an entry for every job that left the due statuses since the table's
    // last vacuum. A plain index scan marks those dead as it passes (later claims skip them); a bitmap scan
    // visits their rows again on every claim: ~2.3 ms a claim after 13,000 jobs without a vacuum, measured.
    // plan_cache_mode: the pool prepares the claim, and Postgres may then keep a generic plan chosen while the
    // table was small (a seq scan, cheapest then) until the next ANALYZE: 9-40 ms a claim once the bench's
    // table held 28,000 jobs, with Postgres at 80-100 % of a core at 100 jobs/s. Planned for each run, the
    // claim follows the table (the plan costs ~0.2 ms; the partial index's predicate is proved from the
    // statuses' values, which a generic plan cannot).
    // Both local to the claim's transaction, whose other statements go by id; sent with the claim, in its round trip.
    await tx.query(sendWithNext(`SELECT set_config('enable_bitmapscan', $1, true), set_config('plan_cache_mode', $2, true)`), ['off', 'force_custom_plan']);
    return many(
      tx,
      sql`SELECT ${JOB_COLUMNS} FROM jobs j
          WHERE j.status_code = ANY(${sql.array(DUE_STATUSES, 'text')}) AND j.next_attempt_at IS NOT NULL AND j.next_attempt_at <= ${now} AND j.auto_execute
            AND (j.lease_until IS NULL OR j.lease_until < ${now})
          ORDER BY j.priority DESC, j.next_attempt_at
          LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
    );
  }

  /** The dispatcher's own jobs (ids from its claim), locked in id order to record their outcomes. */
  lockMany(tx: Db, ids: readonly string[]): Promise<JobRow[]> {
    return many(tx, sql`SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.id = ANY(${sql.array(ids, 'uuid')}) ORDER BY j.id FOR UPDATE`);
  }

  /** Executing jobs whose lease ran out (their replica died mid-send). */
  async expiredLeases(db: Db, now: Date, limit: number): Promise<string[]> {
    const rows = await many<{ id: string }>(db, sql`SELECT id FROM jobs WHERE status_code = 'executing' AND lease_until < ${now} LIMIT ${limit}`);
    return rows.map((r) => r.id);
  }

  /** One of `expiredLeases`, locked, unless it moved on or another replica holds it. */
  lockExpired(tx: Db, id: string, now: Date): Promise<JobRow | null> {
    return maybeOne(
      tx,
      sql`SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.id = ${id} AND j.status_code = 'executing' AND j.lease_until < ${now} FOR UPDATE SKIP LOCKED`,
    );
  }

  /** Jobs of a tenant's channel by the provider's request ids, locked in id order (delivery reports). */
  lockByProviderIds(tx: Db, tenantId: string, channel: string, providerIds: readonly string[]): Promise<JobRow[]> {
    return many(
      tx,
      sql`SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.tenant_id = ${tenantId} AND j.channel_code = ${channel}
          AND j.provider_message_id = ANY(${sql.array(providerIds, 'text')}) ORDER BY j.id FOR UPDATE`,
    );
  }

  /** A source's jobs that have not gone out yet (a rescheduled appointment's old reminder), locked. */
  lockUnsentOfSource(tx: Db, tenantId: string, sourceType: string, sourceId: string): Promise<JobRow[]> {
    return many(
      tx,
      sql`SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.tenant_id = ${tenantId} AND j.source_type_code = ${sourceType} AND j.source_id = ${sourceId}
            AND j.status_code IN ('created', 'scheduled', 'pending', 'held') FOR UPDATE`,
    );
  }

  /**
   * Inserts jobs in their first status (or leased, see NewJob) with their first history rows, all in
   * one statement (column arrays: one plan whatever their number). Answers, in input order, the row inserted
   * for each, or null where its dedupe key names a job already — one that existed, or an earlier input of the
   * same call (read those with `byDedupeKeys`).
   */
  async insertCreatedMany(tx: Db, jobs: ReadonlyArray<{ job: NewJob; history: readonly HistoryRow[] }>): Promise<Array<JobRow | null>> {
    const keyOf = (j: NewJob) => `${j.tenantId}|${j.dedupeKey}`;
    const firsts = new Map<string, number>();
    jobs.forEach(({ job }, i) => firsts.has(keyOf(job)) || firsts.set(keyOf(job), i));
    // A dedupe key given twice is inserted once, for its first input: the others answer null, as for a key that existed.
    const unique = jobs.filter(({ job }, i) => firsts.get(keyOf(job)) === i);
    if (unique.length === 0) return [];
    const col = (f: (j: NewJob) => unknown, type: string) =>
      sql.array(
        unique.map(({ job }) => f(job)),
        type,
      );
    const history = unique.flatMap(({ job, history: rows }) => rows.map((row) => ({ job, row })));
    const hcol = (f: (h: { job: NewJob; row: HistoryRow }) => unknown, type: string) => sql.array(history.map(f), type);
    const json = (v: unknown) => JSON.stringify(v ?? null);
    const inserted = await many<JobRow>(
      tx,
      sql`WITH v AS (
            SELECT * FROM unnest(${sql.join([
              col((j) => j.id, 'uuid'),
              col((j) => j.tenantId, 'uuid'),
              col((j) => j.eventTypeCode, 'text'),
              col((j) => j.channelCode, 'text'),
              col((j) => j.sourceTypeCode, 'text'),
              col((j) => j.sourceId, 'text'),
              col((j) => j.sourceRef, 'text'),
              col((j) => j.dedupeKey, 'text'),
              col((j) => j.requestId, 'text'),
              col((j) => j.recipient.type, 'text'),
              col((j) => j.recipientId, 'uuid'),
              col((j) => j.recipient.name, 'text'),
              col((j) => j.recipientContact, 'text'),
              col((j) => json(j.recipient), 'text'),
              col((j) => j.templateKey, 'text'),
              col((j) => j.templateId, 'uuid'),
              col((j) => json(j.variables), 'text'),
              col((j) => json(j.businessContext), 'text'),
              col((j) => j.priority, 'int'),
              col((j) => j.scheduledAt, 'timestamptz'),
              col((j) => j.maxRetries, 'int'),
              col((j) => j.retryDelaySeconds, 'int'),
              col((j) => j.autoExecute, 'boolean'),
              col((j) => j.isLive, 'boolean'),
              col((j) => j.performer.type, 'text'),
              col((j) => j.performer.id, 'uuid'),
              col((j) => j.performer.name, 'text'),
              col((j) => j.at, 'timestamptz'),
              col((j) => j.status, 'text'),
              col((j) => j.previousStatus, 'text'),
              col((j) => j.isValidTransition, 'boolean'),
              col((j) => j.version, 'int'),
              col((j) => j.nextAttemptAt, 'timestamptz'),
              col((j) => j.lease?.leaseOwner ?? null, 'text'),
              col((j) => j.lease?.leaseUntil ?? null, 'timestamptz'),
              col((j) => j.lease?.sendStartedAt ?? null, 'timestamptz'),
              col((j) => j.lease?.attempts ?? 0, 'int'),
              col((j) => (j.lease ? json(j.lease.rendered) : null), 'text'),
              col((j) => j.correlationId, 'text'),
              col((j) => j.traceParent, 'text'),
            ])}) WITH ORDINALITY AS v(id, tenant_id, event_type_code, channel_code, source_type_code, source_id, source_ref, dedupe_key, request_id,
              recipient_type, recipient_id, recipient_name, recipient_contact, recipient, template_key, template_id, variables, business_context,
              priority, scheduled_at, max_retries, retry_delay_seconds, auto_execute, is_live, performed_by_type, performed_by_id, performed_by_name,
              at, status_code, previous_status_code, is_valid_transition, version, next_attempt_at, lease_owner, lease_until, send_started_at,
              attempts, rendered, correlation_id, trace_parent, ord)),
          j AS (
            INSERT INTO jobs (id, tenant_id, event_type_code, channel_code, source_type_code, source_id, source_ref, dedupe_key, request_id,
              recipient_type, recipient_id, recipient_name, recipient_contact, recipient, template_key, template_id, variables, business_context,
              priority, scheduled_at, max_retries, retry_delay_seconds, auto_execute, is_live, performed_by_type, performed_by_id, performed_by_name,
              status_changed_at, created_at, updated_at, status_code, previous_status_code, is_valid_transition, version, next_attempt_at,
              lease_owner, lease_until, send_started_at, attempts, rendered, correlation_id, trace_parent)
            SELECT id, tenant_id, event_type_code, channel_code, source_type_code, source_id, source_ref, dedupe_key, request_id,
              recipient_type, recipient_id, recipient_name, recipient_contact, recipient::jsonb, template_key, template_id, variables::jsonb,
              business_context::jsonb, priority, scheduled_at, max_retries, retry_delay_seconds, auto_execute, is_live, performed_by_type,
              performed_by_id, performed_by_name, at, at, at, status_code, previous_status_code, is_valid_transition, version, next_attempt_at,
              lease_owner, lease_until, send_started_at, attempts, rendered::jsonb, correlation_id, trace_parent
            FROM v ORDER BY ord
            ON CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING *),
          h AS (
            INSERT INTO status_history (jtd_id, tenant_id, from_status, to_status, actor_type, actor_id, actor_name, source, reason, seconds_in_previous,
              is_valid_transition, at)
            SELECT j.id, j.tenant_id, u.from_status, u.to_status, u.actor_type, u.actor_id, u.actor_name, u.source, u.reason, u.seconds, u.valid, u.at
            FROM unnest(${sql.join([
              hcol((h) => h.job.id, 'uuid'),
              hcol((h) => h.row.from, 'text'),
              hcol((h) => h.row.to, 'text'),
              hcol((h) => h.row.actor.type, 'text'),
              hcol((h) => h.row.actor.id, 'uuid'),
              hcol((h) => h.row.actor.name, 'text'),
              hcol((h) => h.row.source, 'text'),
              hcol((h) => h.row.reason, 'text'),
              hcol((h) => h.row.secondsInPrevious, 'int'),
              hcol((h) => h.row.isValidTransition, 'boolean'),
              hcol((h) => h.row.at, 'timestamptz'),
            ])}) WITH ORDINALITY AS u(jtd_id, from_status, to_status, actor_type, actor_id, actor_name, source, reason, seconds, valid, at, ord)
            JOIN j ON j.id = u.jtd_id
            ORDER BY u.ord)
          SELECT ${JOB_COLUMNS} FROM j`,
    );
    const byId = new Map(inserted.map((row) => [row.id, row]));
    return jobs.map(({ job }) => byId.get(job.id) ?? null);
  }

  /** Jobs by (tenant, dedupe key), keyed `tenantId|dedupeKey`. */
  async byDedupeKeys(db: Db, keys: ReadonlyArray<{ tenantId: string; dedupeKey: string }>): Promise<Map<string, JobRow>> {
    if (keys.length === 0) return new Map();
    const rows = await many<JobRow & { dedupeKey: string }>(
      db,
      sql`SELECT ${JOB_COLUMNS}, j.dedupe_key AS "dedupeKey" FROM jobs j
          JOIN unnest(${sql.array(
            keys.map((k) => k.tenantId),
            'uuid',
          )}, ${sql.array(
            keys.map((k) => k.dedupeKey),
            'text',
          )}) AS k(tenant_id, dedupe_key) ON j.tenant_id = k.tenant_id AND j.dedupe_key = k.dedupe_key`,
    );
    return new Map(rows.map(({ dedupeKey, ...row }) => [`${row.tenantId}|${dedupeKey}`, row as JobRow]));
  }

  /**
   * Writes status changes, `history` (the status kit's INSERT) as part of the same statement: one UPDATE
   * per shape of patch, whatever the number of jobs, sent with the transaction's next statement (the
   * outbox's INSERT and the COMMIT, when the moves announce something): nothing here is read back.
   */
  async setStatuses(tx: Db, writes: readonly JobStatusWrite[], at: Date, history: Sql): Promise<void> {
    const shapes = new Map<string, JobStatusWrite[]>();
    for (const w of writes) {
      const key = patchFields(w.patch).join(',');
      (shapes.get(key) ?? shapes.set(key, []).get(key)!).push(w);
    }
    const updates = [...shapes.values()].map((group, i) => sql`, u${sql.raw(String(i))} AS (${this.updateOf(group, at)})`);
    await execWithNext(tx, sql`WITH h AS (${history})${sql.join(updates, '')} SELECT 1`);
  }

  /** Leases jobs that hit an unexpected error in the claim: untouched otherwise, claimed again when the lease ends. */
  async lease(tx: Db, ids: readonly string[], owner: string, until: Date): Promise<void> {
    if (ids.length > 0) await exec(tx, sql`UPDATE jobs SET lease_owner = ${owner}, lease_until = ${until} WHERE id = ANY(${sql.array(ids, 'uuid')})`);
  }

  /** Jobs that wait for a later time without changing status (the next minute's rate slots). */
  async postpone(tx: Db, waits: ReadonlyArray<{ id: string; at: Date }>): Promise<void> {
    if (waits.length === 0) return;
    await exec(
      tx,
      sql`UPDATE jobs j SET next_attempt_at = v.at, lease_owner = NULL, lease_until = NULL
          FROM unnest(${sql.array(
            waits.map((w) => w.id),
            'uuid',
          )}, ${sql.array(
            waits.map((w) => w.at),
            'timestamptz',
          )}) AS v(id, at) WHERE j.id = v.id`,
    );
  }

  /** Held and scheduled jobs per tenant (the waiting gauges). */
  waitingCounts(db: Db): Promise<Array<{ tenant: string; status: string; n: number }>> {
    return many(
      db,
      sql`SELECT tenant_id AS tenant, status_code AS status, count(*)::int AS n FROM jobs WHERE status_code IN ('held', 'scheduled') GROUP BY 1, 2`,
    );
  }

  private updateOf(group: readonly JobStatusWrite[], at: Date): Sql {
    const fields = patchFields(group[0].patch);
    const col = (f: (w: JobStatusWrite) => unknown, type: string) => sql.array(group.map(f), type);
    const patchArrays = fields.map((f) => {
      const [, type] = PATCH_COLUMNS[f];
      return type === 'jsonb' ? col((w) => JSON.stringify(w.patch[f] ?? null), 'text') : col((w) => w.patch[f], type);
    });
    const sets = fields.map((f, i) => {
      const [column, type] = PATCH_COLUMNS[f];
      return sql.raw(`, ${column} = v.p${i}${type === 'jsonb' ? '::jsonb' : ''}`);
    });
    const names = fields.map((_, i) => `, p${i}`).join('');
    return sql`UPDATE jobs j SET status_code = v.status, previous_status_code = v.previous_status, status_changed_at = ${at},
        is_valid_transition = v.valid, performed_by_type = v.actor_type, performed_by_id = v.actor_id, performed_by_name = v.actor_name,
        updated_at = ${at}, version = j.version + v.steps${sql.join(sets, '')}
      FROM unnest(${sql.join([
        col((w) => w.id, 'uuid'),
        col((w) => w.tenantId, 'uuid'),
        col((w) => w.status, 'text'),
        col((w) => w.previousStatus, 'text'),
        col((w) => w.isValidTransition, 'boolean'),
        col((w) => w.actor.type, 'text'),
        col((w) => w.actor.id, 'uuid'),
        col((w) => w.actor.name, 'text'),
        col((w) => w.steps, 'int'),
        ...patchArrays,
      ])}) AS v(id, tenant_id, status, previous_status, valid, actor_type, actor_id, actor_name, steps${sql.raw(names)})
      WHERE j.tenant_id = v.tenant_id AND j.id = v.id`;
  }
}
