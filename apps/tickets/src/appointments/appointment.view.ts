import { AppointmentEntity, AppointmentRescheduleEntity, StaffAssignmentEntity } from './appointment.entities';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toAssignmentView(s: StaffAssignmentEntity) {
  return {
    id: s.id,
    userId: s.userId,
    name: s.userName,
    role: s.role,
    status: s.status,
    offeredAt: iso(s.offeredAt),
    offeredBy: s.offeredBy,
    responseDeadline: iso(s.responseDeadline),
    respondedAt: iso(s.respondedAt),
    declineReason: s.declineReason,
    availableForFuture: s.availableForFuture,
    dispatchedAt: iso(s.dispatchedAt),
    enRouteAt: iso(s.enRouteAt),
    eta: iso(s.eta),
    checkedInAt: iso(s.checkedInAt),
    checkInLocation: s.checkInLocation,
    verificationMethod: s.verificationMethod,
    checkedOutAt: iso(s.checkedOutAt),
    checkOutLocation: s.checkOutLocation,
    hoursWorked: s.hoursWorked,
    noShowAt: iso(s.noShowAt),
    consequenceLevel: s.consequenceLevel,
    version: s.version,
  };
}

export function toAppointmentView(a: AppointmentEntity, assignments: StaffAssignmentEntity[], extra: { reschedules?: AppointmentRescheduleEntity[] } = {}) {
  return {
    id: a.id,
    contractId: a.contractId,
    ticketId: a.ticketId,
    eventIds: a.eventIds,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    timezone: a.timezone,
    location: a.location,
    status: a.status,
    notes: a.notes,
    assignments: assignments.map(toAssignmentView),
    ...(extra.reschedules
      ? {
          reschedules: extra.reschedules.map((r) => ({
            previousStartsAt: r.previousStartsAt.toISOString(),
            previousEndsAt: r.previousEndsAt.toISOString(),
            newStartsAt: r.newStartsAt.toISOString(),
            newEndsAt: r.newEndsAt.toISOString(),
            reason: r.reason,
            actor: r.actor,
            at: r.at.toISOString(),
          })),
        }
      : {}),
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
