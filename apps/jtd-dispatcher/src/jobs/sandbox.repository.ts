import { Injectable } from '@nestjs/common';
import { cursorTime } from '@app/shared/contract/cursor';
import { Db, many, sql } from '@app/shared/db/sql';

/** What a test-mode job would have sent (`sandbox_messages`). */
export interface SandboxRow {
  id: string;
  jtdId: string;
  channel: string;
  provider: string;
  request: Record<string, unknown>;
  createdAt: Date;
  cursorAt: string;
}

export interface NewSandboxMessage {
  tenantId: string;
  jobId: string;
  channel: string;
  provider: string;
  request: unknown;
}

@Injectable()
export class SandboxRepository {
  /** Stores each job's would-be request, once per job (a job sent again after a lost lease keeps one row); answers the row id per job. */
  async upsert(tx: Db, messages: readonly NewSandboxMessage[]): Promise<Map<string, string>> {
    if (messages.length === 0) return new Map();
    const rows = await many<{ id: string; jobId: string }>(
      tx,
      sql`INSERT INTO sandbox_messages (tenant_id, jtd_id, channel_code, provider, request)
          SELECT u.tenant_id, u.jtd_id, u.channel_code, u.provider, u.request::jsonb FROM unnest(${sql.join([
            sql.array(
              messages.map((m) => m.tenantId),
              'uuid',
            ),
            sql.array(
              messages.map((m) => m.jobId),
              'uuid',
            ),
            sql.array(
              messages.map((m) => m.channel),
              'text',
            ),
            sql.array(
              messages.map((m) => m.provider),
              'text',
            ),
            sql.array(
              messages.map((m) => JSON.stringify(m.request)),
              'text',
            ),
          ])}) AS u(tenant_id, jtd_id, channel_code, provider, request)
          ON CONFLICT (jtd_id) DO UPDATE SET request = EXCLUDED.request RETURNING id, jtd_id AS "jobId"`,
    );
    return new Map(rows.map((r) => [r.jobId, r.id]));
  }

  /** Newest first, keyed on (created_at, id). */
  list(db: Db, tenantId: string, jobId: string | undefined, after: readonly [string, string] | undefined, limit: number): Promise<SandboxRow[]> {
    return many(
      db,
      sql`SELECT id, jtd_id AS "jtdId", channel_code AS channel, provider, request, created_at AS "createdAt", ${sql.raw(cursorTime('created_at'))} AS "cursorAt"
          FROM sandbox_messages
          WHERE tenant_id = ${tenantId}
            ${jobId !== undefined ? sql`AND jtd_id = ${jobId}` : sql.empty}
            ${after ? sql`AND (created_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql.empty}
          ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
    );
  }
}
