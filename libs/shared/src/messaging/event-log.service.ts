import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { redactEnvelope } from '../catalog/event-catalog';
import { RequestContext } from '../context/request-context';
import { EventLogItem, EventLogQuery } from '../api/platform/messaging.dto';
import { decodeCursor, encodeCursor } from '../contract/cursor';
import { DEFAULT_PAGE_SIZE, Page } from '../contract/page';
import { envelopeOfRow, OutboxRow } from './outbox-row';

/**
 * Position in a service's event log: (created_at, outbox seq), newest first. A caller merging several
 * services passes Number.MAX_SAFE_INTEGER ("everything at this instant") or 0 ("nothing at this instant").
 */
export const LOG_CURSOR = ['timestamp', 'int'] as const;

/**
 * The events this service emitted, from its outbox (kept per retention class), newest first. Ties within a
 * millisecond (events of one transaction) keep the order they were appended in, by the outbox sequence.
 * Sensitive fields read `[sealed]`: the rows hold them sealed, and what sits at a sensitive path is
 * redacted anyway, should an older row or another producer have stored it in clear.
 */
@Injectable()
export class EventLogService {
  constructor(private readonly dataSource: DataSource) {}

  async query(ctx: RequestContext, q: EventLogQuery): Promise<Page<EventLogItem>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [ctx.tenantId];
    const where = ['tenant_id = $1'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.correlationId) add('correlation_id = ?', q.correlationId);
    if (q.aggregateId) add('aggregate_id = ?', q.aggregateId);
    if (q.type) add('type = ?', q.type);
    const cursor = decodeCursor(q.cursor, LOG_CURSOR);
    if (cursor) {
      params.push(...cursor);
      where.push(`(created_at, seq) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
    params.push(limit + 1);
    const rows: OutboxRow[] = await this.dataSource.query(
      `SELECT * FROM outbox WHERE ${where.join(' AND ')} ORDER BY created_at DESC, seq DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map((r) => ({
      ...redactEnvelope(envelopeOfRow(r)),
      publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
      sequence: Number(r.seq),
    }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.timestamp, last.sequence]) : null };
  }
}
