import { Injectable } from '@nestjs/common';
import type { ContractCustomer } from '@app/shared/api/events/contracts.dto';
import { Db, many, sql } from '@app/shared/db/sql';
import { ContractEventRow, EVENT_COLUMNS } from '../contract-events/contract-event.repository';

export type ScheduledEvent = ContractEventRow & { contract: { id: string; contractNumber: string; title: string; customer: ContractCustomer } };

/** What the time-driven moves read and write. */
@Injectable()
export class SchedulerRepository {
  async tenantsWithActiveContracts(db: Db): Promise<string[]> {
    return (await many<{ tenantId: string }>(db, sql`SELECT DISTINCT tenant_id AS "tenantId" FROM contracts WHERE status = 'active'`)).map((r) => r.tenantId);
  }

  /**
   * Events of active contracts whose time has come, locked (`SKIP LOCKED`: another replica's rows are left
   * to it): `overdue` once the event's day is over; `due` when the day is within `leadDays` and not over.
   * The status is in the WHERE clause, so a moved event never qualifies twice.
   */
  eventsToMove(
    tx: Db,
    q: { tenantId: string; eventType: string; fromStatuses: string[]; to: 'due' | 'overdue'; now: Date; leadDays: number; limit: number },
  ): Promise<ScheduledEvent[]> {
    const window =
      q.to === 'overdue'
        ? sql`e.scheduled_date <= ${q.now}::timestamptz - interval '1 day'`
        : sql`e.scheduled_date <= ${q.now}::timestamptz + make_interval(days => ${q.leadDays}) AND e.scheduled_date > ${q.now}::timestamptz - interval '1 day'`;
    return many(
      tx,
      sql`SELECT ${EVENT_COLUMNS}, json_build_object('id', c.id, 'contractNumber', c.contract_number, 'title', c.title, 'customer', c.customer) AS contract
       FROM contract_events e JOIN contracts c ON c.id = e.contract_id AND c.tenant_id = e.tenant_id
       WHERE e.tenant_id = ${q.tenantId} AND e.event_type = ${q.eventType} AND e.status = ANY(${sql.array(q.fromStatuses, 'text')}) AND c.status = 'active'
         AND ${window}
       ORDER BY e.scheduled_date, e.id LIMIT ${q.limit} FOR UPDATE OF e SKIP LOCKED`,
    );
  }

  /**
   * Active contracts whose last day has passed (in their timezone): completed when none of their events is
   * open (`terminal`: `<type>:<status>` pairs), else expired. Answers how many closed.
   */
  async closeEndedContracts(tx: Db, tenantId: string, now: Date, terminal: string[]): Promise<number> {
    const rows = await many(
      tx,
      sql`UPDATE contracts c SET status = CASE WHEN EXISTS (
           SELECT 1 FROM contract_events e WHERE e.tenant_id = c.tenant_id AND e.contract_id = c.id AND NOT (e.event_type || ':' || e.status) = ANY(${sql.array(terminal, 'text')})
         ) THEN 'expired' ELSE 'completed' END,
         closed_at = ${now}, version = version + 1, updated_at = ${now}
       WHERE c.tenant_id = ${tenantId} AND c.status = 'active' AND c.end_date < (${now}::timestamptz AT TIME ZONE c.timezone)::date
       RETURNING c.id`,
    );
    return rows.length;
  }
}
