import { Injectable } from '@nestjs/common';
import { cursorTime } from '@app/shared/contract/cursor';
import { Db, exec, many, selectList, sql } from '@app/shared/db/sql';

export interface IssueRow {
  id: string;
  tenantId: string;
  contractId: string;
  ticketId: string | null;
  appointmentId: string | null;
  eventId: string | null;
  type: string;
  severity: string;
  description: string;
  immediateActionTaken: string | null;
  reportedBy: string;
  reportedByName: string;
  reportedAt: Date;
}

export type ListedIssue = IssueRow & { cursorAt: string };

const FIELDS = [
  'id',
  'tenantId',
  'contractId',
  'ticketId',
  'appointmentId',
  'eventId',
  'type',
  'severity',
  'description',
  'immediateActionTaken',
  'reportedBy',
  'reportedByName',
  'reportedAt',
] as const;
/** `immediateActionTaken` is the seed's name; the column kept its first one. */
const COLUMNS = selectList('i', FIELDS, { immediateActionTaken: 'i.immediate_action' });

/** Issue reports on tickets and appointments (`issue_reports`). */
@Injectable()
export class IssueRepository {
  async insert(db: Db, i: IssueRow): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO issue_reports (id, tenant_id, contract_id, ticket_id, appointment_id, event_id, type, severity, description, immediate_action,
            reported_by, reported_by_name, reported_at)
          VALUES (${i.id}, ${i.tenantId}, ${i.contractId}, ${i.ticketId}::uuid, ${i.appointmentId}::uuid, ${i.eventId}::uuid, ${i.type}, ${i.severity},
            ${i.description}, ${i.immediateActionTaken}, ${i.reportedBy}, ${i.reportedByName}, ${i.reportedAt})`,
    );
  }

  /** Newest first, from `after` on: `limit + 1` rows for `pageOf`. A ticket's issues include those of its visits. */
  list(
    db: Db,
    tenantId: string,
    on: { ticketId: string } | { appointmentId: string },
    page: { after?: { at: string; id: string }; limit: number },
  ): Promise<ListedIssue[]> {
    const scope = 'ticketId' in on ? sql`i.ticket_id = ${on.ticketId}` : sql`i.appointment_id = ${on.appointmentId}`;
    const after = page.after ? sql`AND (i.reported_at, i.id) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)` : sql.empty;
    return many<ListedIssue>(
      db,
      sql`SELECT ${COLUMNS}, ${sql.raw(cursorTime('i.reported_at'))} AS "cursorAt" FROM issue_reports i
          WHERE i.tenant_id = ${tenantId} AND ${scope} ${after} ORDER BY i.reported_at DESC, i.id DESC LIMIT ${page.limit}`,
    );
  }
}
