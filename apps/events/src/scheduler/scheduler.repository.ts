import { Injectable } from '@nestjs/common';
import type { ContractCustomer } from '@app/shared/api/events/contracts.dto';
import { Db, many, sql } from '@app/shared/db/sql';
import { ContractEventRow, EVENT_COLUMNS } from '../contract-events/contract-event.repository';
import { DEFAULT_RENEWAL_NOTICE_DAYS } from '../contracts/contract.repository';

/** A contract the scheduler closed or announced, with what its status change and announcement need. */
export interface ScheduledContract {
  id: string;
  contractNumber: string;
  title: string;
  customer: ContractCustomer;
  status: string;
  version: number;
  endDate: string;
  accountManagerId: string | null;
  createdAt: Date;
  /** Days from the contract's local today to its end date (renewal notices). */
  daysUntilEnd: number;
  noticeDays: number;
}

const SCHEDULED_CONTRACT = sql`c.id, c.contract_number AS "contractNumber", c.title, c.customer, c.status, c.version, c.end_date::text AS "endDate",
  c.account_manager_id AS "accountManagerId", c.created_at AS "createdAt"`;

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
   * open (`terminal`: `<type>:<status>` pairs), else expired. Answers the contracts closed, as saved.
   */
  closeEndedContracts(tx: Db, tenantId: string, now: Date, terminal: string[]): Promise<ScheduledContract[]> {
    return many(
      tx,
      sql`UPDATE contracts c SET status = CASE WHEN EXISTS (
           SELECT 1 FROM contract_events e WHERE e.tenant_id = c.tenant_id AND e.contract_id = c.id AND NOT (e.event_type || ':' || e.status) = ANY(${sql.array(terminal, 'text')})
         ) THEN 'expired' ELSE 'completed' END,
         closed_at = ${now}, version = version + 1, updated_at = ${now}
       WHERE c.tenant_id = ${tenantId} AND c.status = 'active' AND c.end_date < (${now}::timestamptz AT TIME ZONE c.timezone)::date
       RETURNING ${SCHEDULED_CONTRACT}, 0 AS "daysUntilEnd", 0 AS "noticeDays"`,
    );
  }

  /**
   * Active contracts (not renewed yet) whose end date is within the tenant's renewal notice, marked as
   * notified in the same statement: the `renewal_notified_at IS NULL` condition makes each contract qualify
   * once, whatever the number of runs and replicas (a concurrent UPDATE waits on the row and then no longer
   * matches). Contracts past their end are left to closing.
   */
  markRenewalsDue(tx: Db, tenantId: string, now: Date): Promise<ScheduledContract[]> {
    return many(
      tx,
      sql`WITH t AS (SELECT COALESCE((SELECT renewal_notice_days FROM tenants WHERE id = ${tenantId}), ${DEFAULT_RENEWAL_NOTICE_DAYS}::int) AS days)
       UPDATE contracts c SET renewal_notified_at = ${now}
       FROM t
       WHERE c.tenant_id = ${tenantId} AND c.status = 'active' AND c.renewal_notified_at IS NULL AND c.renewed_by_id IS NULL
         AND c.end_date >= (${now}::timestamptz AT TIME ZONE c.timezone)::date
         AND c.end_date - (${now}::timestamptz AT TIME ZONE c.timezone)::date <= t.days
       RETURNING ${SCHEDULED_CONTRACT}, (c.end_date - (${now}::timestamptz AT TIME ZONE c.timezone)::date) AS "daysUntilEnd", t.days AS "noticeDays"`,
    );
  }
}
