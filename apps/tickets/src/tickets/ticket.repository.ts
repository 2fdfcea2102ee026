import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { DomainError } from '@app/shared/errors/domain-error';
import { ServiceTicketEntity, ServiceTicketEventEntity } from './ticket.entities';
import { EvidenceEntity } from '../evidence/evidence.entity';

@Injectable()
export class TicketRepository {
  /** Locks the ticket row for the rest of the transaction; another tenant's id is NOT_FOUND. */
  async lockOrFail(tx: EntityManager, tenantId: string, id: string): Promise<ServiceTicketEntity> {
    const ticket = await tx.findOne(ServiceTicketEntity, { where: { tenantId, id }, lock: { mode: 'pessimistic_write' } });
    if (!ticket) throw DomainError.notFound('ticket', id);
    return ticket;
  }

  async findOrFail(tx: EntityManager, tenantId: string, id: string): Promise<ServiceTicketEntity> {
    const ticket = await tx.findOne(ServiceTicketEntity, { where: { tenantId, id } });
    if (!ticket) throw DomainError.notFound('ticket', id);
    return ticket;
  }

  /**
   * The next number of the tenant's year. The counter row stays locked until the transaction ends, so
   * numbers are unique and gap-free under concurrency (a rolled-back ticket gives its number back).
   */
  async nextTicketSequence(tx: EntityManager, tenantId: string, year: number): Promise<number> {
    const rows: Array<{ last_value: number }> = await tx.query(
      `INSERT INTO ticket_number_counters (tenant_id, year, last_value) VALUES ($1, $2, 1)
       ON CONFLICT (tenant_id, year) DO UPDATE SET last_value = ticket_number_counters.last_value + 1
       RETURNING last_value`,
      [tenantId, year],
    );
    return rows[0].last_value;
  }

  async eventIdsOf(tx: EntityManager, ticketId: string): Promise<string[]> {
    const links = await tx.find(ServiceTicketEventEntity, { where: { ticketId }, order: { eventId: 'ASC' } });
    return links.map((l) => l.eventId);
  }

  async openTicketsHolding(tx: EntityManager, tenantId: string, eventIds: string[], exceptTicketId?: string) {
    if (eventIds.length === 0) return [];
    const rows: Array<{ event_id: string; ticket_id: string; ticket_number: string }> = await tx.query(
      `SELECT l.event_id, l.ticket_id, t.ticket_number FROM service_ticket_events l JOIN service_tickets t ON t.id = l.ticket_id
       WHERE l.tenant_id = $1 AND l.is_open AND l.event_id = ANY($2::uuid[]) AND ($3::uuid IS NULL OR l.ticket_id <> $3)`,
      [tenantId, eventIds, exceptTicketId ?? null],
    );
    return rows.map((r) => ({ eventId: r.event_id, ticketId: r.ticket_id, ticketNumber: r.ticket_number }));
  }

  async setLinksOpen(tx: EntityManager, ticketId: string, isOpen: boolean): Promise<void> {
    await tx.update(ServiceTicketEventEntity, { ticketId }, { isOpen });
  }

  /** Evidence that counts for completion: uploaded or verified, grouped per linked event (ticket-level evidence counts for each). */
  async evidencePerEvent(tx: EntityManager, tenantId: string, ticketId: string, eventIds: string[]) {
    const evidence = await tx.find(EvidenceEntity, {
      where: { tenantId, ticketId, status: In(['uploaded', 'verified']) },
      order: { createdAt: 'ASC' },
    });
    return eventIds.map((eventId) => ({
      eventId,
      evidenceIds: evidence.filter((e) => e.eventId === null || e.eventId === eventId).map((e) => e.id),
    }));
  }
}
