import { Injectable } from '@nestjs/common';
import { Db, many, sql } from '@app/shared/db/sql';

export interface CockpitListedRow {
  list: 'overdue' | 'nextUp';
  id: string;
  taskId: string;
  contractId: string;
  eventType: string;
  title: string;
  status: string;
  scheduledDate: Date;
  amount: string | null;
  currency: string | null;
}

export interface CockpitRange {
  from: Date | null;
  to: Date | null;
}

/** Per event type: the status codes of its overdue list and of its next-up list. */
export interface CockpitListCodes {
  eventType: string;
  overdue: string[];
  upcoming: string[];
}

const LIST_SIZE = 10;

/**
 * The cockpit's two queries: one GROUP BY (index-only on (tenant_id, event_type, status, scheduled_date))
 * and one UNION ALL of two LIMITed index range scans per type.
 */
@Injectable()
export class CockpitRepository {
  statusCounts(db: Db, tenantId: string, range: CockpitRange): Promise<Array<{ eventType: string; status: string; n: number }>> {
    return many(
      db,
      sql`SELECT event_type AS "eventType", status, count(*)::int AS n FROM contract_events
         WHERE tenant_id = ${tenantId} AND ${inRange(range)}
         GROUP BY event_type, status`,
    );
  }

  lists(db: Db, tenantId: string, range: CockpitRange, now: Date, types: readonly CockpitListCodes[]): Promise<CockpitListedRow[]> {
    const cols = sql.raw(`id, task_id AS "taskId", contract_id AS "contractId", event_type AS "eventType", title, status, scheduled_date AS "scheduledDate",
      amount::text AS amount, currency`);
    const parts = types.flatMap((t) => [
      sql`(SELECT 'overdue' AS list, ${cols} FROM contract_events WHERE tenant_id = ${tenantId} AND event_type = ${t.eventType}
           AND status = ANY(${sql.array(t.overdue, 'text')}) AND ${inRange(range)} ORDER BY scheduled_date, id LIMIT ${LIST_SIZE})`,
      sql`(SELECT 'nextUp' AS list, ${cols} FROM contract_events WHERE tenant_id = ${tenantId} AND event_type = ${t.eventType}
           AND status = ANY(${sql.array(t.upcoming, 'text')}) AND scheduled_date >= ${now} AND ${inRange(range)} ORDER BY scheduled_date, id LIMIT ${LIST_SIZE})`,
    ]);
    return many(db, sql.join(parts, ' UNION ALL '));
  }
}

function inRange(range: CockpitRange) {
  return sql`(${range.from}::timestamptz IS NULL OR scheduled_date >= ${range.from}) AND (${range.to}::timestamptz IS NULL OR scheduled_date <= ${range.to})`;
}
