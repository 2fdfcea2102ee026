import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  JobAttemptView, JobDetailView, JobHistoryEntryView, JobView, ListJobHistoryQuery, ListJobsQuery, ListSandboxMessagesQuery, SandboxMessageView,
} from '@app/shared/api/jtd/jobs.dto';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page } from '@app/shared/contract/page';
import { DomainError } from '@app/shared/errors/domain-error';
import { cursorTime, pageSize, toPage } from '../keyset-page';
import { iso, JOB_COLUMNS, JobRow, jobView, performerView } from './job-row';

/** Reads for the API; every query is tenant-scoped. */
@Injectable()
export class JobsQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first, keyed on (created_at, id). */
  async list(tenantId: string, q: ListJobsQuery): Promise<Page<JobView>> {
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const size = pageSize(q.limit);
    const params: unknown[] = [tenantId];
    const where = ['tenant_id = $1'];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (q.status !== undefined) where.push(`status_code = ${param(q.status)}`);
    if (q.channel !== undefined) where.push(`channel_code = ${param(q.channel)}`);
    if (q.eventType !== undefined) where.push(`event_type_code = ${param(q.eventType)}`);
    if (q.sourceType !== undefined) where.push(`source_type_code = ${param(q.sourceType)}`);
    if (q.sourceId !== undefined) where.push(`source_id = ${param(q.sourceId)}`);
    if (after) where.push(`(created_at, id) < (${param(after[0])}::timestamptz, ${param(after[1])}::uuid)`);
    const rows: Array<JobRow & { cursorAt: string }> = await this.dataSource.query(
      `SELECT ${JOB_COLUMNS}, ${cursorTime('created_at')} AS "cursorAt" FROM jobs WHERE ${where.join(' AND ')}
       ORDER BY created_at DESC, id DESC LIMIT ${param(size + 1)}`,
      params,
    );
    return toPage(rows, size, jobView, (r) => [r.cursorAt, r.id]);
  }

  async get(tenantId: string, id: string): Promise<JobDetailView> {
    const row = await this.row(tenantId, id);
    const attempts: Array<Omit<JobAttemptView, 'at'> & { at: Date }> = await this.dataSource.query(
      `SELECT attempt_no AS "attemptNo", provider, outcome, http_status AS "httpStatus", provider_code AS "providerCode",
         provider_message_id AS "providerMessageId", error, retry_after_ms AS "retryAfterMs", latency_ms AS "latencyMs", at
       FROM attempts WHERE jtd_id = $1 AND tenant_id = $2 ORDER BY at`,
      [id, tenantId],
    );
    return { ...jobView(row), attemptLog: attempts.map((a) => ({ ...a, at: iso(a.at) })) };
  }

  /** Oldest first, keyed on the history's sequence. */
  async history(tenantId: string, q: ListJobHistoryQuery): Promise<Page<JobHistoryEntryView>> {
    const after = decodeCursor(q.cursor, ['int']);
    await this.row(tenantId, q.id);
    const size = pageSize(q.limit);
    const rows: HistoryRow[] = await this.dataSource.query(
      `SELECT seq, from_status AS "from", to_status AS "to", at, duration_seconds AS "durationSeconds", is_valid_transition AS "isValidTransition",
         performed_by_type AS "type", performed_by_id AS "performerId", performed_by_name AS "performerName", note, details
       FROM status_history WHERE jtd_id = $1 AND tenant_id = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
      [q.id, tenantId, after?.[0] ?? 0, size + 1],
    );
    return toPage(rows, size, historyEntryView, (r) => [Number(r.seq)]);
  }

  /** Newest first, keyed on (created_at, id). */
  async sandbox(tenantId: string, q: ListSandboxMessagesQuery): Promise<Page<SandboxMessageView>> {
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const size = pageSize(q.limit);
    const rows: SandboxRow[] = await this.dataSource.query(
      `SELECT id, jtd_id AS "jtdId", channel_code AS channel, provider, request, created_at AS "createdAt", ${cursorTime('created_at')} AS "cursorAt"
       FROM sandbox_messages
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR jtd_id = $2) AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [tenantId, q.jtdId ?? null, after?.[0] ?? null, after?.[1] ?? null, size + 1],
    );
    return toPage(rows, size, sandboxMessageView, (r) => [r.cursorAt, r.id]);
  }

  private async row(tenantId: string, id: string): Promise<JobRow> {
    const row: JobRow | undefined = (await this.dataSource.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 AND tenant_id = $2`, [id, tenantId]))[0];
    if (!row) throw DomainError.notFound('job', id);
    return row;
  }
}

interface HistoryRow {
  /** bigserial: pg hands it over as text. */
  seq: string;
  from: string | null;
  to: string;
  at: Date;
  durationSeconds: number | null;
  isValidTransition: boolean;
  type: string;
  performerId: string | null;
  performerName: string | null;
  note: string | null;
  details: Record<string, unknown>;
}

function historyEntryView(r: HistoryRow): JobHistoryEntryView {
  return {
    from: r.from,
    to: r.to,
    at: iso(r.at),
    durationSeconds: r.durationSeconds,
    isValidTransition: r.isValidTransition,
    performedBy: performerView(r.type, r.performerId, r.performerName),
    note: r.note,
    details: r.details,
  };
}

interface SandboxRow {
  id: string;
  jtdId: string;
  channel: string;
  provider: string;
  request: Record<string, unknown>;
  createdAt: Date;
  cursorAt: string;
}

function sandboxMessageView(r: SandboxRow): SandboxMessageView {
  return { id: r.id, jtdId: r.jtdId, channel: r.channel, provider: r.provider, request: r.request, createdAt: iso(r.createdAt) };
}
