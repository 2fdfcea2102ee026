import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** Which evidence exists on which event, as the tickets service reported it (EVIDENCE_* events). */
@Injectable()
export class EventEvidenceRepository {
  async record(m: EntityManager, e: { tenantId: string; evidenceId: string; eventId: string | null; ticketId: string; status: string }, at: Date) {
    await m.query(
      `INSERT INTO event_evidence (tenant_id, evidence_id, event_id, ticket_id, status, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, evidence_id) DO UPDATE SET status = EXCLUDED.status, event_id = COALESCE(EXCLUDED.event_id, event_evidence.event_id),
         updated_at = EXCLUDED.updated_at`,
      [e.tenantId, e.evidenceId, e.eventId, e.ticketId, e.status, at.toISOString()],
    );
  }

  async linkTicket(m: EntityManager, tenantId: string, ticketId: string, eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await m.query(
      `INSERT INTO event_ticket_links (tenant_id, ticket_id, event_id) SELECT $1, $2, u FROM unnest($3::uuid[]) AS u ON CONFLICT DO NOTHING`,
      [tenantId, ticketId, eventIds],
    );
  }

  /** The ids among `evidenceIds` that are no evidence of this tenant at all (another tenant's included). */
  async unknown(m: EntityManager, tenantId: string, evidenceIds: string[]): Promise<string[]> {
    const rows: Array<{ evidence_id: string }> = await m.query(
      `SELECT evidence_id FROM event_evidence WHERE tenant_id = $1 AND evidence_id = ANY($2::uuid[])`,
      [tenantId, evidenceIds],
    );
    const found = new Set(rows.map((r) => r.evidence_id));
    return evidenceIds.filter((id) => !found.has(id));
  }

  /**
   * The ids among `evidenceIds` that are not usable evidence of this event: unknown, rejected, or on another
   * event (ticket-level evidence counts for every event its ticket groups).
   */
  async missing(m: EntityManager, tenantId: string, eventId: string, evidenceIds: string[]): Promise<string[]> {
    const rows: Array<{ evidence_id: string }> = await m.query(
      `SELECT v.evidence_id FROM event_evidence v
       WHERE v.tenant_id = $1 AND v.evidence_id = ANY($3::uuid[]) AND v.status <> 'rejected'
         AND (v.event_id = $2 OR (v.event_id IS NULL AND EXISTS (
           SELECT 1 FROM event_ticket_links l WHERE l.tenant_id = v.tenant_id AND l.ticket_id = v.ticket_id AND l.event_id = $2)))`,
      [tenantId, eventId, evidenceIds],
    );
    const found = new Set(rows.map((r) => r.evidence_id));
    return evidenceIds.filter((id) => !found.has(id));
  }
}
