import { Injectable } from '@nestjs/common';
import { Db, exec, many, sql } from '@app/shared/db/sql';

/** Which evidence exists on which event, as the tickets service reported it (EVIDENCE_* events). */
@Injectable()
export class EventEvidenceRepository {
  async record(db: Db, e: { tenantId: string; evidenceId: string; eventId: string | null; ticketId: string; status: string }, at: Date): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO event_evidence (tenant_id, evidence_id, event_id, ticket_id, status, updated_at) VALUES (${e.tenantId}, ${e.evidenceId}, ${e.eventId}, ${e.ticketId}, ${e.status}, ${at})
       ON CONFLICT (tenant_id, evidence_id) DO UPDATE SET status = EXCLUDED.status, event_id = COALESCE(EXCLUDED.event_id, event_evidence.event_id),
         updated_at = EXCLUDED.updated_at`,
    );
  }

  /** Evidence a completed ticket vouches for, unless already known (EVIDENCE_UPLOADED may not have arrived yet). */
  async vouchFor(db: Db, tenantId: string, ticketId: string, eventId: string, evidenceIds: string[], at: Date): Promise<void> {
    if (evidenceIds.length === 0) return;
    await exec(
      db,
      sql`INSERT INTO event_evidence (tenant_id, evidence_id, event_id, ticket_id, status, updated_at)
       SELECT ${tenantId}, u, ${eventId}, ${ticketId}, 'uploaded', ${at} FROM unnest(${sql.array([...new Set(evidenceIds)], 'uuid')}) AS u
       ON CONFLICT (tenant_id, evidence_id) DO NOTHING`,
    );
  }

  async linkTicket(db: Db, tenantId: string, ticketId: string, eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await exec(
      db,
      sql`INSERT INTO event_ticket_links (tenant_id, ticket_id, event_id) SELECT ${tenantId}, ${ticketId}, u FROM unnest(${sql.array(eventIds, 'uuid')}) AS u
          ON CONFLICT DO NOTHING`,
    );
  }

  /** The ids among `evidenceIds` that are no evidence of this tenant at all (another tenant's included). */
  async unknown(db: Db, tenantId: string, evidenceIds: readonly string[]): Promise<string[]> {
    const rows = await many<{ evidenceId: string }>(
      db,
      sql`SELECT evidence_id AS "evidenceId" FROM event_evidence WHERE tenant_id = ${tenantId} AND evidence_id = ANY(${sql.array(evidenceIds, 'uuid')})`,
    );
    const found = new Set(rows.map((r) => r.evidenceId));
    return evidenceIds.filter((id) => !found.has(id));
  }

  /**
   * The ids among `evidenceIds` that are not usable evidence of this event: unknown, rejected, or on another
   * event (ticket-level evidence counts for every event its ticket groups).
   */
  async missing(db: Db, tenantId: string, eventId: string, evidenceIds: readonly string[]): Promise<string[]> {
    const rows = await many<{ evidenceId: string }>(
      db,
      sql`SELECT v.evidence_id AS "evidenceId" FROM event_evidence v
       WHERE v.tenant_id = ${tenantId} AND v.evidence_id = ANY(${sql.array(evidenceIds, 'uuid')}) AND v.status <> 'rejected'
         AND (v.event_id = ${eventId} OR (v.event_id IS NULL AND EXISTS (
           SELECT 1 FROM event_ticket_links l WHERE l.tenant_id = v.tenant_id AND l.ticket_id = v.ticket_id AND l.event_id = ${eventId})))`,
    );
    const found = new Set(rows.map((r) => r.evidenceId));
    return evidenceIds.filter((id) => !found.has(id));
  }
}
