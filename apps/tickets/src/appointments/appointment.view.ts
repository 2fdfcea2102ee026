import {
  AppointmentAssignmentView,
  AppointmentDetailView,
  AppointmentLocationView,
  AppointmentRescheduleView,
  AppointmentSiteFixView,
  AppointmentView,
} from '@app/shared/api/tickets/appointments.views';
import { AppointmentLocation, AppointmentRow, RescheduleRow } from './appointment.repository';
import { GeoFixValue, StaffAssignmentRow } from './staff-assignment.repository';

const iso = (d: Date | null) => d?.toISOString() ?? null;

function toLocationView(a: AppointmentRow): AppointmentLocationView | null {
  const l: AppointmentLocation | null = a.location;
  if (!l) return null;
  const d = a.locationDetails;
  return {
    address: l.address ?? null,
    lat: l.lat ?? null,
    lng: l.lng ?? null,
    confirmedAt: iso(a.locationConfirmedAt),
    confirmedBy: a.locationConfirmedBy,
    contactPerson: d?.contactPerson ? { name: d.contactPerson.name, phone: d.contactPerson.phone ?? null, email: d.contactPerson.email ?? null } : null,
    specialInstructions: d?.specialInstructions ?? null,
    accessDetails: d?.accessDetails ?? null,
  };
}

/** Stored with the seed's names (latitude, longitude), shown with the names check-in and check-out take. */
function toSiteFixView(
  fix: GeoFixValue | null,
  verificationMethod: string | null,
  distance: { m: number | null; outside: boolean | null } = { m: null, outside: null },
): AppointmentSiteFixView | null {
  if (!fix) return null;
  return {
    lat: fix.latitude,
    lng: fix.longitude,
    accuracy: fix.accuracy ?? null,
    verificationMethod,
    distanceMeters: distance.m,
    outsideRadius: distance.outside,
  };
}

export function toAssignmentView(s: StaffAssignmentRow): AppointmentAssignmentView {
  return {
    id: s.id,
    userId: s.userId,
    name: s.userName,
    role: s.role,
    status: s.status,
    offeredAt: s.offeredAt.toISOString(),
    offeredBy: s.offeredBy,
    responseDeadline: s.responseDeadline.toISOString(),
    respondedAt: iso(s.respondedAt),
    declineReason: s.declineReason,
    isAvailableForFuture: s.isAvailableForFuture,
    dispatchedAt: iso(s.dispatchedAt),
    enRouteAt: iso(s.enRouteAt),
    eta: iso(s.eta),
    checkedInAt: iso(s.checkedInAt),
    checkIn: toSiteFixView(s.checkInLocation, s.verificationMethod, { m: s.checkInDistanceM, outside: s.checkInOutsideRadius }),
    checkedOutAt: iso(s.checkedOutAt),
    checkOut: toSiteFixView(s.checkOutLocation, s.checkOutVerificationMethod),
    hoursWorked: s.hoursWorked,
    noShowAt: iso(s.noShowAt),
    consequenceLevel: s.consequenceLevel,
    version: s.version,
  };
}

export function toAppointmentView(a: AppointmentRow, assignments: StaffAssignmentRow[]): AppointmentView {
  return {
    id: a.id,
    contractId: a.contractId,
    ticketId: a.ticketId,
    eventIds: a.eventIds,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    timezone: a.timezone,
    location: toLocationView(a),
    status: a.status,
    notes: a.notes,
    assignments: assignments.map(toAssignmentView),
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

export function toAppointmentDetailView(a: AppointmentRow, assignments: StaffAssignmentRow[], reschedules: RescheduleRow[]): AppointmentDetailView {
  return { ...toAppointmentView(a, assignments), reschedules: reschedules.map(toRescheduleView) };
}

function toRescheduleView(r: RescheduleRow): AppointmentRescheduleView {
  return {
    previousStartsAt: r.previousStartsAt.toISOString(),
    previousEndsAt: r.previousEndsAt.toISOString(),
    newStartsAt: r.newStartsAt.toISOString(),
    newEndsAt: r.newEndsAt.toISOString(),
    reason: r.reason,
    actor: { type: r.actor.type, id: r.actor.id, name: r.actor.name },
    at: r.at.toISOString(),
  };
}
