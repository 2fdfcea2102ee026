import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/shared/errors/domain-error';
import { iso, JOB_COLUMNS, JobRow, jobView } from './job-row';

export interface JobFilter {
  status?: string;
  channel?: string;
  eventType?: string;
  sourceType?: string;
  sourceId?: string;
  limit?: number;
  cursor?: string;
}

/** Reads for the API; every query is tenant-scoped. */
@Injectable()
export class JobsQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(tenantId: string, f: JobFilter) {
    const limit = Math.min(f.limit ?? 50, 200);
    const params: unknown[] = [tenantId];
    const where = ['tenant_id = $1'];
    const add = (col: string, v: unknown) => {
      if (v === undefined) return;
      params.push(v);
      where.push(`${col} = $${params.length}`);
    };
    add('status_code', f.status);
    add('channel_code', f.channel);
    add('event_type_code', f.eventType);
    add('source_type_code', f.sourceType);
    add('source_id', f.sourceId);
    if (f.cursor) {
      const [at, id] = decodeCursor(f.cursor);
      params.push(at, id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(limit + 1);
    const rows: JobRow[] = await this.dataSource.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(jobView), nextCursor: rows.length > limit && last ? Buffer.from(`${new Date(last.createdAt).toISOString()}|${last.id}`).toString('base64url') : null };
  }

  async get(tenantId: string, id: string) {
    const row: JobRow | undefined = (await this.dataSource.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 AND tenant_id = $2`, [id, tenantId]))[0];
    if (!row) throw DomainError.notFound('jtd', id);
    const attempts = await this.dataSource.query(
      `SELECT attempt_no AS "attemptNo", provider, outcome, http_status AS "httpStatus", provider_code AS "providerCode",
         provider_message_id AS "providerMessageId", error, retry_after_ms AS "retryAfterMs", latency_ms AS "latencyMs", at
       FROM attempts WHERE jtd_id = $1 AND tenant_id = $2 ORDER BY at`,
      [id, tenantId],
    );
    return { ...jobView(row), attemptLog: attempts.map((a: any) => ({ ...a, at: iso(a.at) })) };
  }

  async history(tenantId: string, id: string) {
    await this.get(tenantId, id);
    const rows = await this.dataSource.query(
      `SELECT from_status AS "from", to_status AS "to", at, duration_seconds AS "durationSeconds", is_valid_transition AS "isValidTransition",
         performed_by_type AS "type", performed_by_id AS "performerId", performed_by_name AS "performerName", note, details
       FROM status_history WHERE jtd_id = $1 AND tenant_id = $2 ORDER BY seq`,
      [id, tenantId],
    );
    return {
      items: rows.map((r: any) => ({
        from: r.from, to: r.to, at: iso(r.at), durationSeconds: r.durationSeconds, isValidTransition: r.isValidTransition,
        performedBy: { type: r.type, id: r.performerId, name: r.performerName }, note: r.note, details: r.details,
      })),
    };
  }

  async sandbox(tenantId: string, jtdId?: string) {
    const rows = await this.dataSource.query(
      `SELECT id, jtd_id AS "jtdId", channel_code AS channel, provider, request, created_at AS "createdAt" FROM sandbox_messages
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR jtd_id = $2) ORDER BY created_at DESC LIMIT 200`,
      [tenantId, jtdId ?? null],
    );
    return { items: rows.map((r: any) => ({ ...r, createdAt: iso(r.createdAt) })) };
  }
}

function decodeCursor(c: string): [string, string] {
  const [at, id] = Buffer.from(c, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at))) throw DomainError.validation({ cursor: ['cursor is not valid'] });
  return [at, id];
}
