import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { TicketAssigneeDto } from '@app/shared/api/tickets/tickets.dto';
import { DEFAULT_ASSIGNEE_ROLE } from '@app/shared/api/tickets/tickets.vocabulary';
import { AppointmentEntity, StaffAssignmentEntity } from './appointment.entities';
import { isUniqueViolation } from '../common/page';
import { CLOSED_APPOINTMENT_STATUSES, TechnicianCalendar } from './technician-calendar';

/** A fresh offer has taken no field step yet: every step column is null, not unset, so its view is whole. */
const NOTHING_DONE_YET = {
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
  checkedOutAt: null,
  checkOutLocation: null,
  checkOutVerificationMethod: null,
  hoursWorked: null,
  feedback: null,
  noShowAt: null,
  noShowReportedBy: null,
  consequenceLevel: null,
} satisfies Partial<StaffAssignmentEntity>;

/** How long a technician has to answer by default (capped at the visit's start). */
const DEFAULT_RESPONSE_WINDOW_MS = 24 * 3600 * 1000;

/** Offers a visit to a technician: their calendar must be free for the slot; the offer holds it until answered. */
@Injectable()
export class StaffOffers {
  constructor(
    private readonly calendar: TechnicianCalendar,
    private readonly outbox: Outbox,
  ) {}

  async offer(
    tx: EntityManager,
    ctx: RequestContext,
    appointment: AppointmentEntity,
    who: TicketAssigneeDto & { responseDeadline?: string },
    now: Date,
  ): Promise<StaffAssignmentEntity> {
    if (CLOSED_APPOINTMENT_STATUSES.includes(appointment.status)) {
      throw DomainError.rule(`appointment is ${appointment.status}; it cannot be offered`, { reason: 'APPOINTMENT_CLOSED' });
    }
    const deadline = who.responseDeadline
      ? new Date(who.responseDeadline)
      : new Date(Math.max(now.getTime() + 60_000, Math.min(now.getTime() + DEFAULT_RESPONSE_WINDOW_MS, appointment.startsAt.getTime())));
    if (deadline.getTime() <= now.getTime()) throw DomainError.validation({ responseDeadline: ['responseDeadline must be in the future'] });
    await this.calendar.assertFree(tx, ctx.tenantId, [who.userId], { startsAt: appointment.startsAt, endsAt: appointment.endsAt, exceptAppointmentId: appointment.id, now });
    const assignment = tx.create(StaffAssignmentEntity, {
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
      ...NOTHING_DONE_YET,
      version: 1,
      updatedAt: now,
    });
    try {
      await tx.insert(StaffAssignmentEntity, assignment);
    } catch (err) {
      if (isUniqueViolation(err, 'staff_assignments_live_uq')) {
        throw new DomainError(ErrorCode.CONFLICT, `user ${who.userId} already has an offer on this appointment`, { reason: 'ALREADY_OFFERED' });
      }
      throw err;
    }
    await this.outbox.append(tx, ctx, [
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
