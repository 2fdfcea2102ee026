import { Injectable } from '@nestjs/common';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { NewDomainEvent } from '@app/shared/messaging/envelope';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { TicketRepository, TicketRow } from '../tickets/ticket.repository';
import { AppointmentRepository, AppointmentRow } from './appointment.repository';
import { toAppointmentView } from './appointment.view';
import { AssignmentStep, StaffAssignmentRepository, StaffAssignmentRow } from './staff-assignment.repository';

export interface FieldStepScope {
  tx: Db;
  /** The appointment, locked; a step that moves it puts the moved row back here (the answer shows it). */
  appointment: AppointmentRow;
  /** The technician's assignment, locked, as it was before the step. */
  readonly assignment: StaffAssignmentRow;
  readonly now: Date;
  /** Fields every staff event carries. */
  readonly base: Record<string, unknown>;
  /** The linked ticket, locked, when the appointment has one. */
  ticket(): Promise<TicketRow | null>;
  /** A staff event of this step (aggregate: the assignment, at its new version). */
  emit(type: string, payload: Record<string, unknown>): void;
}

/** A step a technician may take: from which assignment statuses, and what it changes. */
export interface FieldStepTarget {
  appointmentId: string;
  userId: string;
  /** Names the step in a refusal (`check in`). */
  step: string;
  from: readonly string[];
}

/**
 * The frame of every step a technician takes on an appointment (accept, decline, dispatch, en route,
 * check-in, check-out, no-show): one transaction, the appointment and the technician's assignment locked,
 * the step allowed only from the listed assignment statuses, the step's changes written with the
 * assignment's next version, and the staff events appended to the outbox with the same transaction.
 */
@Injectable()
export class FieldStep {
  constructor(
    private readonly db: Transactions,
    private readonly appointments: AppointmentRepository,
    private readonly assignments: StaffAssignmentRepository,
    private readonly tickets: TicketRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  run(ctx: RequestContext, target: FieldStepTarget, body: (scope: FieldStepScope) => Promise<AssignmentStep>): Promise<AppointmentView> {
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      const appointment = await this.appointments.lockOrFail(tx, ctx.tenantId, target.appointmentId);
      const assignment = await this.assignments.lockLiveOrFail(tx, ctx.tenantId, appointment.id, target.userId);
      if (!target.from.includes(assignment.status)) {
        throw new DomainError(ErrorCode.TRANSITION_NOT_ALLOWED, `cannot ${target.step}: the assignment is ${assignment.status}`, {
          from: assignment.status,
          step: target.step,
          allowedFrom: target.from,
        });
      }
      const events: NewDomainEvent[] = [];
      let ticket: Promise<TicketRow | null> | undefined;
      const scope: FieldStepScope = {
        tx,
        appointment,
        assignment,
        now,
        base: {
          assignmentId: assignment.id,
          appointmentId: appointment.id,
          contractId: appointment.contractId,
          ticketId: appointment.ticketId ?? undefined,
          eventIds: appointment.eventIds,
          ...(appointment.eventIds.length > 0 ? { eventId: appointment.eventIds[0] } : {}),
          userId: assignment.userId,
        },
        ticket: () => (ticket ??= appointment.ticketId ? this.tickets.lockOrFail(tx, ctx.tenantId, appointment.ticketId) : Promise.resolve(null)),
        emit: (type, payload) => events.push({ type, aggregateId: assignment.id, aggregateVersion: assignment.version + 1, payload }),
      };
      const step = await body(scope);
      await this.assignments.saveStep(tx, assignment, step, now);
      if (events.length > 0) await this.outbox.append(tx, ctx, events);
      return toAppointmentView(scope.appointment, await this.assignments.ofAppointment(tx, ctx.tenantId, appointment.id));
    });
  }
}

/** Technicians act for themselves; admins and agents may act for them. */
export function assertActsFor(ctx: RequestContext, userId: string): void {
  if (ctx.actor.id === userId) return;
  if (ctx.roles.some((r) => r === 'admin' || r === 'agent')) return;
  throw new DomainError(ErrorCode.FORBIDDEN, 'only the technician, an agent or an admin may do this for this assignment');
}
