import { randomUUID } from 'node:crypto';
import { APPOINTMENT_MACHINE, TICKET_MACHINE } from '@app/shared/api/tickets/tickets.vocabulary';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { InMemoryStatusFlows, InMemoryStatusHistory } from '@app/shared/testing/in-memory-status';
import { InMemoryTransactions } from '@app/shared/testing/in-memory-transactions';
import { RecordingOutbox } from '@app/shared/testing/recording-outbox';
import { FixedClock } from '@app/shared/time/clock';
import { AppointmentRepository, AppointmentRow } from '../../src/appointments/appointment.repository';
import { AppointmentStatusMover } from '../../src/appointments/appointment-status-mover';
import { FieldStep } from '../../src/appointments/field-step';
import {
  AssignmentStep,
  RELEASED_ASSIGNMENT_STATUSES,
  StaffAssignmentRepository,
  StaffAssignmentRow,
} from '../../src/appointments/staff-assignment.repository';
import { newOffer } from '../../src/appointments/staff-offers';
import { TechnicianCalendar } from '../../src/appointments/technician-calendar';
import { EvidenceRepository } from '../../src/evidence/evidence.repository';
import { ContractRow, ReadModelRepository } from '../../src/read-model/read-model.repository';
import { DEFAULT_APPOINTMENT_FLOW, DEFAULT_TICKET_FLOW } from '../../src/settings/default-flows';
import { TicketFlows, TICKETS_HISTORY } from '../../src/settings/ticket-flows';
import { TicketAssignee, TicketRepository, TicketRow } from '../../src/tickets/ticket.repository';
import { TicketStatusMover } from '../../src/tickets/ticket-status-mover';

/**
 * The tickets service's rules without a database: in-memory stand-ins for the rows the movers and field
 * steps read and write, with the shared harness (InMemoryStatusFlows holding the default flows,
 * InMemoryStatusHistory, RecordingOutbox, InMemoryTransactions, FixedClock). Factories give rows with
 * sensible defaults, overridden per test.
 */
export const TENANT = '6f1a3c1e-7e0b-4b53-9a51-3d8f3f1f2b10';
export const CONTRACT = '3e2c8b4f-5d6e-4f70-9b8c-0d1e2f3a4b5c';
export const ADMIN = { type: 'user' as const, id: '11111111-1111-4111-8111-111111111111', name: 'Asha Admin' };
export const START = new Date('2026-03-02T06:00:00Z');

export function adminContext(tenantId = TENANT): RequestContext {
  return { tenantId, actor: ADMIN, roles: ['admin'], correlationId: 'corr-1' };
}

export function technicianContext(userId: string, tenantId = TENANT): RequestContext {
  return { tenantId, actor: { type: 'user', id: userId, name: 'Ravi Tech' }, roles: ['technician'], correlationId: 'corr-2' };
}

class InMemoryTickets {
  readonly rows = new Map<string, TicketRow>();
  readonly links: Array<{ tenantId: string; ticketId: string; eventId: string; isOpen: boolean }> = [];

  async lockOrFail(_db: unknown, tenantId: string, id: string): Promise<TicketRow> {
    const t = this.rows.get(id);
    if (!t || t.tenantId !== tenantId) throw DomainError.notFound('ticket', id);
    return structuredClone(t);
  }

  findOrFail = this.lockOrFail;

  async eventIdsOf(_db: unknown, tenantId: string, ticketId: string): Promise<string[]> {
    return this.links
      .filter((l) => l.tenantId === tenantId && l.ticketId === ticketId)
      .map((l) => l.eventId)
      .sort();
  }

  async openTicketsHolding(_db: unknown, tenantId: string, eventIds: readonly string[], exceptTicketId?: string) {
    return this.links
      .filter((l) => l.tenantId === tenantId && l.isOpen && eventIds.includes(l.eventId) && l.ticketId !== exceptTicketId)
      .map((l) => ({ eventId: l.eventId, ticketId: l.ticketId, ticketNumber: this.rows.get(l.ticketId)!.ticketNumber }));
  }

  async setLinksOpen(_db: unknown, tenantId: string, ticketId: string, isOpen: boolean): Promise<void> {
    for (const l of this.links) if (l.tenantId === tenantId && l.ticketId === ticketId) l.isOpen = isOpen;
  }

  async setStatus(
    _db: unknown,
    t: Pick<TicketRow, 'tenantId' | 'id' | 'status' | 'startedAt' | 'completedAt' | 'cancelledAt'> & { at: Date },
  ): Promise<number> {
    const row = this.rows.get(t.id)!;
    const next = { ...row, status: t.status, statusChangedAt: t.at, startedAt: t.startedAt, completedAt: t.completedAt, cancelledAt: t.cancelledAt };
    this.rows.set(t.id, { ...next, version: row.version + 1, updatedAt: t.at });
    return row.version + 1;
  }

  async touch(_db: unknown, _tenantId: string, id: string, at: Date, change: { assignees?: TicketAssignee[] } = {}): Promise<number> {
    const row = this.rows.get(id)!;
    this.rows.set(id, { ...row, assignees: change.assignees ?? row.assignees, version: row.version + 1, updatedAt: at });
    return row.version + 1;
  }
}

class InMemoryAppointments {
  readonly rows = new Map<string, AppointmentRow>();

  async lockOrFail(_db: unknown, tenantId: string, id: string): Promise<AppointmentRow> {
    const a = this.rows.get(id);
    if (!a || a.tenantId !== tenantId) throw DomainError.notFound('appointment', id);
    return structuredClone(a);
  }

  findOrFail = this.lockOrFail;

  async setStatus(_db: unknown, a: Pick<AppointmentRow, 'id' | 'status'> & { at: Date }): Promise<number> {
    const row = this.rows.get(a.id)!;
    this.rows.set(a.id, { ...row, status: a.status, statusChangedAt: a.at, version: row.version + 1, updatedAt: a.at });
    return row.version + 1;
  }
}

class InMemoryAssignments {
  readonly rows: StaffAssignmentRow[] = [];
  constructor(private readonly appointments: InMemoryAppointments) {}

  async ofAppointment(_db: unknown, tenantId: string, appointmentId: string): Promise<StaffAssignmentRow[]> {
    return this.rows.filter((r) => r.tenantId === tenantId && r.appointmentId === appointmentId).map((r) => structuredClone(r));
  }

  async live(db: unknown, tenantId: string, appointmentId: string): Promise<StaffAssignmentRow[]> {
    return (await this.ofAppointment(db, tenantId, appointmentId)).filter((r) => !RELEASED_ASSIGNMENT_STATUSES.includes(r.status));
  }

  async lockLive(db: unknown, tenantId: string, appointmentId: string, userId: string): Promise<StaffAssignmentRow | null> {
    return (await this.live(db, tenantId, appointmentId)).find((r) => r.userId === userId) ?? null;
  }

  async lockLiveOrFail(db: unknown, tenantId: string, appointmentId: string, userId: string): Promise<StaffAssignmentRow> {
    const a = await this.lockLive(db, tenantId, appointmentId, userId);
    if (!a) throw DomainError.notFound(`assignment of user ${userId} on appointment`, appointmentId);
    return a;
  }

  async saveStep(_db: unknown, a: Pick<StaffAssignmentRow, 'id'>, step: AssignmentStep, at: Date): Promise<number> {
    const row = this.rows.find((r) => r.id === a.id)!;
    Object.assign(row, step, { version: row.version + 1, updatedAt: at });
    return row.version;
  }

  async withdraw(_db: unknown, tenantId: string, appointmentId: string, statuses: readonly string[], at: Date): Promise<void> {
    for (const r of this.rows) {
      if (r.tenantId === tenantId && r.appointmentId === appointmentId && statuses.includes(r.status))
        Object.assign(r, { status: 'withdrawn', version: r.version + 1, updatedAt: at });
    }
  }

  async lockCalendars(): Promise<void> {}

  async firstClash(
    _db: unknown,
    tenantId: string,
    userIds: readonly string[],
    slot: { startsAt: Date; endsAt: Date; exceptAppointmentId?: string; now: Date; closedStatuses: readonly string[] },
  ) {
    for (const r of this.rows) {
      const a = this.appointments.rows.get(r.appointmentId)!;
      const holds = ['accepted', 'dispatched', 'en_route', 'checked_in'].includes(r.status) || (r.status === 'offered' && r.responseDeadline > slot.now);
      const overlaps = a.startsAt < slot.endsAt && slot.startsAt < a.endsAt;
      if (
        r.tenantId === tenantId &&
        userIds.includes(r.userId) &&
        a.id !== slot.exceptAppointmentId &&
        !slot.closedStatuses.includes(a.status) &&
        holds &&
        overlaps
      ) {
        return { appointmentId: a.id, userId: r.userId, startsAt: a.startsAt, endsAt: a.endsAt };
      }
    }
    return null;
  }
}

class InMemoryEvidence {
  readonly rows: Array<{ id: string; tenantId: string; ticketId: string; eventId: string | null; status: string }> = [];

  async counting(_db: unknown, tenantId: string, ticketId: string) {
    return this.rows
      .filter((e) => e.tenantId === tenantId && e.ticketId === ticketId && ['uploaded', 'verified'].includes(e.status))
      .map((e) => ({ id: e.id, eventId: e.eventId }));
  }
}

class InMemoryReadModel {
  readonly contracts = new Map<string, ContractRow>();

  async findContract(_db: unknown, tenantId: string, id: string): Promise<ContractRow | null> {
    const c = this.contracts.get(id);
    return c && c.tenantId === tenantId ? c : null;
  }
}

export function ticketsHarness() {
  const db = new InMemoryTransactions();
  const outbox = new RecordingOutbox('tickets');
  const history = new InMemoryStatusHistory(TICKETS_HISTORY);
  const clock = new FixedClock(START);
  const statusFlows = new InMemoryStatusFlows().setSystem(TICKET_MACHINE, DEFAULT_TICKET_FLOW).setSystem(APPOINTMENT_MACHINE, DEFAULT_APPOINTMENT_FLOW);
  const flows = new TicketFlows(statusFlows, 0);
  const tickets = new InMemoryTickets();
  const appointments = new InMemoryAppointments();
  const assignments = new InMemoryAssignments(appointments);
  const evidence = new InMemoryEvidence();
  const readModel = new InMemoryReadModel();
  const repos = {
    tickets: tickets as unknown as TicketRepository,
    appointments: appointments as unknown as AppointmentRepository,
    assignments: assignments as unknown as StaffAssignmentRepository,
    evidence: evidence as unknown as EvidenceRepository,
    readModel: readModel as unknown as ReadModelRepository,
  };
  const ticketMover = new TicketStatusMover(flows, repos.tickets, repos.evidence, repos.readModel, outbox, clock, history);
  const appointmentMover = new AppointmentStatusMover(flows, repos.appointments, repos.assignments, repos.readModel, outbox, clock, history);
  const fieldStep = new FieldStep(db, repos.appointments, repos.assignments, repos.tickets, outbox, clock);
  const calendar = new TechnicianCalendar(repos.assignments);

  const h = {
    db,
    outbox,
    history,
    clock,
    statusFlows,
    tickets,
    appointments,
    assignments,
    evidence,
    readModel,
    repos,
    ticketMover,
    appointmentMover,
    fieldStep,
    calendar,
    ctx: adminContext(),

    /** A stored ticket grouping `eventIds` (open links). */
    ticket(over: Partial<TicketRow> = {}, eventIds: string[] = [randomUUID()]): TicketRow {
      const t: TicketRow = {
        id: randomUUID(),
        tenantId: TENANT,
        ticketNumber: `TKT-2026-${String(tickets.rows.size + 1).padStart(5, '0')}`,
        contractId: CONTRACT,
        status: 'created',
        statusChangedAt: new Date(START.getTime() - 3600_000),
        assignees: [],
        scheduledFor: null,
        startedAt: null,
        completedAt: null,
        cancelledAt: null,
        notes: null,
        createdBy: ADMIN.id,
        createdByName: ADMIN.name,
        version: 1,
        createdAt: new Date(START.getTime() - 3600_000),
        updatedAt: new Date(START.getTime() - 3600_000),
        ...over,
      };
      tickets.rows.set(t.id, t);
      const closed = ['completed', 'cancelled'].includes(t.status);
      for (const eventId of eventIds) tickets.links.push({ tenantId: t.tenantId, ticketId: t.id, eventId, isOpen: !closed });
      return t;
    },

    /** A stored appointment in one hour, for an hour. */
    appointment(over: Partial<AppointmentRow> = {}): AppointmentRow {
      const a: AppointmentRow = {
        id: randomUUID(),
        tenantId: TENANT,
        contractId: CONTRACT,
        ticketId: null,
        eventIds: [randomUUID()],
        startsAt: new Date(START.getTime() + 3600_000),
        endsAt: new Date(START.getTime() + 7200_000),
        timezone: 'Asia/Kolkata',
        location: null,
        locationConfirmedAt: null,
        locationConfirmedBy: null,
        locationDetails: null,
        status: 'created',
        statusChangedAt: new Date(START.getTime() - 600_000),
        notes: null,
        createdBy: ADMIN.id,
        version: 1,
        createdAt: new Date(START.getTime() - 600_000),
        updatedAt: new Date(START.getTime() - 600_000),
        ...over,
      };
      appointments.rows.set(a.id, a);
      return a;
    },

    /** A stored assignment of `userId` on `appointment` (offered an hour ago, answer due in an hour). */
    assignment(appointment: AppointmentRow, userId: string, over: Partial<StaffAssignmentRow> = {}): StaffAssignmentRow {
      const offeredAt = new Date(START.getTime() - 3600_000);
      const offer = newOffer(
        adminContext(appointment.tenantId),
        appointment,
        { userId, name: 'Ravi Tech', role: 'technician' },
        new Date(START.getTime() + 3600_000),
        offeredAt,
      );
      const s: StaffAssignmentRow = { ...offer, ...over };
      assignments.rows.push(s);
      return s;
    },

    contract(over: Partial<ContractRow> = {}): ContractRow {
      const c: ContractRow = {
        id: CONTRACT,
        tenantId: TENANT,
        contractNumber: 'CN-0042',
        title: 'AMC: chillers',
        customer: { name: 'Acme Facilities', phone: '+919812345678', email: 'ops@acme.test' },
        status: 'active',
        timezone: 'Asia/Kolkata',
        ...over,
      };
      readModel.contracts.set(c.id, c);
      return c;
    },
  };
  return h;
}

export type TicketsUnitHarness = ReturnType<typeof ticketsHarness>;
