import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TicketAssigneeDto } from '@app/shared/api/tickets/tickets.dto';
import { DEFAULT_ASSIGNEE_ROLE } from '@app/shared/api/tickets/tickets.vocabulary';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { AppointmentRow } from './appointment.repository';
import { StaffAssignmentRepository, StaffAssignmentRow } from './staff-assignment.repository';
import { CLOSED_APPOINTMENT_STATUSES, TechnicianCalendar } from './technician-calendar';

/** How long a technician has to answer by default (capped at the visit's start). */
export const DEFAULT_RESPONSE_WINDOW_MS = 24 * 3600 * 1000;

/**
 * When an offer made at `now` for a visit starting at `startsAt` must be answered: the deadline asked for
 * (which must be in the future), else a day, but no later than the visit's start and no sooner than a minute.
 */
export function offerDeadline(now: Date, startsAt: Date, requested?: string): Date {
  const deadline = requested
    ? new Date(requested)
    : new Date(Math.max(now.getTime() + 60_000, Math.min(now.getTime() + DEFAULT_RESPONSE_WINDOW_MS, startsAt.getTime())));
  if (deadline.getTime() <= now.getTime()) throw DomainError.validation({ responseDeadline: ['responseDeadline must be in the future'] });
  return deadline;
}

/** An offer answered at `now` is late once its deadline has passed (an answer at the deadline itself still counts). */
export function isOfferExpired(offer: Pick<StaffAssignmentRow, 'status' | 'responseDeadline'>, now: Date): boolean {
  return offer.status === 'offered' && offer.responseDeadline.getTime() < now.getTime();
}

/** Offers a visit to a technician: their calendar must be free for the slot; the offer holds it until answered. */
@Injectable()
export class StaffOffers {
  constructor(
    private readonly calendar: TechnicianCalendar,
    private readonly assignments: StaffAssignmentRepository,
    private readonly outbox: Outbox,
  ) {}

  async offer(
    tx: Db,
    ctx: RequestContext,
    appointment: AppointmentRow,
    who: TicketAssigneeDto & { responseDeadline?: string },
    now: Date,
  ): Promise<StaffAssignmentRow> {
    if (CLOSED_APPOINTMENT_STATUSES.includes(appointment.status)) {
      throw DomainError.rule(`appointment is ${appointment.status}; it cannot be offered`, { reason: 'APPOINTMENT_CLOSED' });
    }
    const deadline = offerDeadline(now, appointment.startsAt, who.responseDeadline);
    await this.calendar.assertFree(tx, ctx.tenantId, [who.userId], {
      startsAt: appointment.startsAt,
      endsAt: appointment.endsAt,
      exceptAppointmentId: appointment.id,
      now,
    });
    const assignment = newOffer(ctx, appointment, who, deadline, now);
    if (!(await this.assignments.insertOffer(tx, assignment))) {
      throw new DomainError(ErrorCode.CONFLICT, `user ${who.userId} already has an offer on this appointment`, { reason: 'ALREADY_OFFERED' });
    }
    await this.outbox.append(tx, ctx, [
      {
        type: 'STAFF_ASSIGNMENT_CREATED',
        aggregateId: assignment.id,
        aggregateVersion: assignment.version,
        payload: {
          assignmentId: assignment.id,
          appointmentId: appointment.id,
          contractId: appointment.contractId,
          ticketId: appointment.ticketId ?? undefined,
          eventIds: appointment.eventIds,
          ...(appointment.eventIds.length > 0 ? { eventId: appointment.eventIds[0] } : {}),
          userId: who.userId,
          role: assignment.role,
          createdBy: ctx.actor.id,
          createdAt: now.toISOString(),
          startTime: appointment.startsAt.toISOString(),
          endTime: appointment.endsAt.toISOString(),
          ...(appointment.notes ? { instructions: appointment.notes } : {}),
        },
      },
      {
        type: 'STAFF_ASSIGNMENT_OFFERED',
        aggregateId: assignment.id,
        aggregateVersion: assignment.version,
        payload: {
          assignmentId: assignment.id,
          appointmentId: appointment.id,
          contractId: appointment.contractId,
          ticketId: appointment.ticketId ?? undefined,
          eventIds: appointment.eventIds,
          ...(appointment.eventIds.length > 0 ? { eventId: appointment.eventIds[0] } : {}),
          userId: who.userId,
          role: assignment.role,
          offeredAt: now.toISOString(),
          offeredBy: ctx.actor.id,
          responseDeadline: deadline.toISOString(),
          startAt: appointment.startsAt.toISOString(),
          endAt: appointment.endsAt.toISOString(),
          location: appointment.location ?? undefined,
        },
      },
    ]);
    return assignment;
  }
}

/** A fresh offer has taken no field step yet: every step column is null, not unset, so its view is whole. */
export function newOffer(ctx: RequestContext, appointment: AppointmentRow, who: TicketAssigneeDto, deadline: Date, now: Date): StaffAssignmentRow {
  return {
    id: randomUUID(),
    tenantId: ctx.tenantId,
    appointmentId: appointment.id,
    userId: who.userId,
    userName: who.name ?? null,
    role: who.role ?? DEFAULT_ASSIGNEE_ROLE,
    status: 'offered',
    offeredAt: now,
    offeredBy: ctx.actor.id,
    responseDeadline: deadline,
    respondedAt: null,
    declineReason: null,
    isAvailableForFuture: null,
    notes: null,
    dispatchedAt: null,
    enRouteAt: null,
    eta: null,
    checkedInAt: null,
    checkInLocation: null,
    verificationMethod: null,
    checkInDistanceM: null,
    checkInOutsideRadius: null,
    checkedOutAt: null,
    checkOutLocation: null,
    checkOutVerificationMethod: null,
    hoursWorked: null,
    feedback: null,
    noShowAt: null,
    noShowReportedBy: null,
    consequenceLevel: null,
    version: 1,
    updatedAt: now,
  };
}
