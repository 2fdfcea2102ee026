import { Injectable } from '@nestjs/common';
import { cursorTime } from '@app/shared/contract/cursor';
import { Db, exec, many, maybeOne, one, selectList, Sql, sql } from '@app/shared/db/sql';
import { DomainError } from '@app/shared/errors/domain-error';

export interface TicketAssignee {
  userId: string;
  name?: string;
  role: string;
}

export interface TicketRow {
  id: string;
  tenantId: string;
  ticketNumber: string;
  contractId: string;
  status: string;
  statusChangedAt: Date;
  assignees: TicketAssignee[];
  scheduledFor: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  notes: string | null;
  createdBy: string;
  createdByName: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of a list, with its keyset position to the microsecond. */
export type ListedTicket = TicketRow & { cursorAt: string };

export interface TicketHistoryRow {
  from: string | null;
  to: string;
  reason: string | null;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  secondsInPrevious: number | null;
  at: Date;
}

/** An event held by an open ticket. */
export interface HeldEvent {
  eventId: string;
  ticketId: string;
  ticketNumber: string;
}

const FIELDS = [
  'id',
  'tenantId',
  'ticketNumber',
  'contractId',
  'status',
  'statusChangedAt',
  'assignees',
  'scheduledFor',
  'startedAt',
  'completedAt',
  'cancelledAt',
  'notes',
  'createdBy',
  'createdByName',
  'version',
  'createdAt',
  'updatedAt',
] as const;
const COLUMNS = selectList('t', FIELDS);

/**
 * Service tickets, the events they group (`service_ticket_events`, whose `is_open` follows the ticket so
 * the partial unique index keeps an event on one open ticket at most), their numbers and status history.
 */
@Injectable()
export class TicketRepository {
  /** Locks the ticket row for the rest of the transaction; another tenant's id is NOT_FOUND. */
  async lockOrFail(db: Db, tenantId: string, id: string): Promise<TicketRow> {
    const ticket = await maybeOne<TicketRow>(db, sql`SELECT ${COLUMNS} FROM service_tickets t WHERE t.tenant_id = ${tenantId} AND t.id = ${id} FOR UPDATE`);
    if (!ticket) throw DomainError.notFound('ticket', id);
    return ticket;
  }

  async findOrFail(db: Db, tenantId: string, id: string): Promise<TicketRow> {
    const ticket = await maybeOne<TicketRow>(db, sql`SELECT ${COLUMNS} FROM service_tickets t WHERE t.tenant_id = ${tenantId} AND t.id = ${id}`);
    if (!ticket) throw DomainError.notFound('ticket', id);
    return ticket;
  }

  /** Newest first, from `after` on: read `limit + 1` rows for `pageOf`. */
  list(
    db: Db,
    tenantId: string,
    filter: { contractId?: string; status?: string; assigneeId?: string; after?: { at: string; id: string }; limit: number },
  ): Promise<ListedTicket[]> {
    const where = [
      sql`t.tenant_id = ${tenantId}`,
      filter.contractId ? sql`t.contract_id = ${filter.contractId}` : null,
      filter.status ? sql`t.status = ${filter.status}` : null,
      filter.assigneeId ? sql`t.assignees @> ${sql.json([{ userId: filter.assigneeId }])}` : null,
      filter.after ? sql`(t.created_at, t.id) < (${filter.after.at}::timestamptz, ${filter.after.id}::uuid)` : null,
    ].filter((c): c is Sql => c !== null);
    return many<ListedTicket>(
      db,
      sql`SELECT ${COLUMNS}, ${sql.raw(cursorTime('t.created_at'))} AS "cursorAt" FROM service_tickets t
          WHERE ${sql.join(where, ' AND ')} ORDER BY t.created_at DESC, t.id DESC LIMIT ${filter.limit}`,
    );
  }

  /**
   * The next number of the tenant's year. The counter row stays locked until the transaction ends, so
   * numbers are unique and gap-free under concurrency (a rolled-back ticket gives its number back).
   */
  async nextTicketSequence(db: Db, tenantId: string, year: number): Promise<number> {
    const { lastValue } = await one<{ lastValue: number }>(
      db,
      sql`INSERT INTO ticket_number_counters (tenant_id, year, last_value) VALUES (${tenantId}, ${year}, 1)
          ON CONFLICT (tenant_id, year) DO UPDATE SET last_value = ticket_number_counters.last_value + 1
          RETURNING last_value AS "lastValue"`,
    );
    return lastValue;
  }

  async insert(db: Db, t: TicketRow): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO service_tickets (id, tenant_id, ticket_number, contract_id, status, status_changed_at, assignees, scheduled_for, started_at,
            completed_at, cancelled_at, notes, created_by, created_by_name, version, created_at, updated_at)
          VALUES (${t.id}, ${t.tenantId}, ${t.ticketNumber}, ${t.contractId}, ${t.status}, ${t.statusChangedAt}, ${sql.json(t.assignees)}, ${t.scheduledFor}::timestamptz,
            ${t.startedAt}::timestamptz, ${t.completedAt}::timestamptz, ${t.cancelledAt}::timestamptz, ${t.notes}, ${t.createdBy}, ${t.createdByName},
            ${t.version}, ${t.createdAt}, ${t.updatedAt})`,
    );
  }

  /**
   * Links events to an open ticket. Answers the ids another open ticket took first (the partial unique
   * index decides, even against a concurrent request); nothing of those is linked.
   */
  async link(db: Db, tenantId: string, ticketId: string, events: ReadonlyArray<{ id: string; eventType: string }>): Promise<string[]> {
    if (events.length === 0) return [];
    const linked = await many<{ eventId: string }>(
      db,
      sql`INSERT INTO service_ticket_events (tenant_id, ticket_id, event_id, event_type, is_open)
          SELECT ${tenantId}, ${ticketId}, u.event_id, u.event_type, true
          FROM unnest(${sql.array(
            events.map((e) => e.id),
            'uuid',
          )}, ${sql.array(
            events.map((e) => e.eventType),
            'text',
          )}) AS u(event_id, event_type)
          ON CONFLICT (tenant_id, event_id) WHERE is_open DO NOTHING
          RETURNING event_id AS "eventId"`,
    );
    return events.map((e) => e.id).filter((id) => !linked.some((l) => l.eventId === id));
  }

  async unlink(db: Db, tenantId: string, ticketId: string, eventId: string): Promise<void> {
    await exec(db, sql`DELETE FROM service_ticket_events WHERE tenant_id = ${tenantId} AND ticket_id = ${ticketId} AND event_id = ${eventId}`);
  }

  async eventIdsOf(db: Db, tenantId: string, ticketId: string): Promise<string[]> {
    return (await this.eventIdsOfMany(db, tenantId, [ticketId])).get(ticketId) ?? [];
  }

  async eventIdsOfMany(db: Db, tenantId: string, ticketIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (ticketIds.length === 0) return out;
    const links = await many<{ ticketId: string; eventId: string }>(
      db,
      sql`SELECT ticket_id AS "ticketId", event_id AS "eventId" FROM service_ticket_events
          WHERE tenant_id = ${tenantId} AND ticket_id = ANY(${sql.array(ticketIds, 'uuid')}) ORDER BY event_id`,
    );
    for (const l of links) out.set(l.ticketId, [...(out.get(l.ticketId) ?? []), l.eventId]);
    return out;
  }

  /** Which of these events open tickets (other than `exceptTicketId`) hold. */
  openTicketsHolding(db: Db, tenantId: string, eventIds: readonly string[], exceptTicketId?: string): Promise<HeldEvent[]> {
    if (eventIds.length === 0) return Promise.resolve([]);
    return many<HeldEvent>(
      db,
      sql`SELECT l.event_id AS "eventId", l.ticket_id AS "ticketId", t.ticket_number AS "ticketNumber"
          FROM service_ticket_events l JOIN service_tickets t ON t.id = l.ticket_id
          WHERE l.tenant_id = ${tenantId} AND l.is_open AND l.event_id = ANY(${sql.array(eventIds, 'uuid')})
            AND (${exceptTicketId ?? null}::uuid IS NULL OR l.ticket_id <> ${exceptTicketId ?? null}::uuid)`,
    );
  }

  async setLinksOpen(db: Db, tenantId: string, ticketId: string, isOpen: boolean): Promise<void> {
    await exec(db, sql`UPDATE service_ticket_events SET is_open = ${isOpen} WHERE tenant_id = ${tenantId} AND ticket_id = ${ticketId}`);
  }

  /** A status move of a locked ticket, with its history INSERT run in the same statement; answers the new version. */
  async setStatus(
    db: Db,
    t: Pick<TicketRow, 'tenantId' | 'id' | 'status' | 'startedAt' | 'completedAt' | 'cancelledAt'> & { at: Date },
    history?: Sql,
  ): Promise<number> {
    const { version } = await one<{ version: number }>(
      db,
      sql`${history ? sql`WITH history AS (${history}) ` : sql.empty}UPDATE service_tickets SET status = ${t.status}, status_changed_at = ${t.at},
            started_at = ${t.startedAt}::timestamptz, completed_at = ${t.completedAt}::timestamptz, cancelled_at = ${t.cancelledAt}::timestamptz,
            version = version + 1, updated_at = ${t.at}
          WHERE tenant_id = ${t.tenantId} AND id = ${t.id} RETURNING version`,
    );
    return version;
  }

  /** Another change of a locked ticket (its events, its assignees): a new version. */
  async touch(db: Db, tenantId: string, id: string, at: Date, change: { assignees?: TicketAssignee[] } = {}): Promise<number> {
    const { version } = await one<{ version: number }>(
      db,
      sql`UPDATE service_tickets SET assignees = COALESCE(${change.assignees ? sql.json(change.assignees) : sql`NULL::jsonb`}, assignees),
            version = version + 1, updated_at = ${at}
          WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING version`,
    );
    return version;
  }

  /** The ticket's status history, oldest first (its creation first among moves of the same instant). */
  history(db: Db, tenantId: string, ticketId: string): Promise<TicketHistoryRow[]> {
    return many<TicketHistoryRow>(
      db,
      sql`SELECT from_status AS "from", to_status AS "to", reason, actor_type AS "actorType", actor_id AS "actorId", actor_name AS "actorName",
                 seconds_in_previous AS "secondsInPrevious", at
          FROM status_history WHERE tenant_id = ${tenantId} AND entity_type = 'ticket' AND entity_id = ${ticketId}
          ORDER BY at, from_status IS NOT NULL`,
    );
  }
}
