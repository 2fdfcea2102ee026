import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface AppointmentLocation {
  address?: string;
  lat?: number;
  lng?: number;
}

@Entity({ name: 'appointments' })
export class AppointmentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('uuid')
  contractId: string;

  @Column('uuid', { nullable: true })
  ticketId: string | null;

  @Column('uuid', { array: true })
  eventIds: string[];

  @Column('timestamptz')
  startsAt: Date;

  @Column('timestamptz')
  endsAt: Date;

  @Column('text')
  timezone: string;

  @Column('jsonb', { nullable: true })
  location: AppointmentLocation | null;

  @Column('text')
  status: string;

  @Column('timestamptz')
  statusChangedAt: Date;

  @Column('text', { nullable: true })
  notes: string | null;

  @Column('uuid')
  createdBy: string;

  @Column('int')
  version: number;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  updatedAt: Date;
}

/** Every reschedule keeps the slot it replaced. */
@Entity({ name: 'appointment_reschedules' })
export class AppointmentRescheduleEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('uuid')
  appointmentId: string;

  @Column('timestamptz')
  previousStartsAt: Date;

  @Column('timestamptz')
  previousEndsAt: Date;

  @Column('timestamptz')
  newStartsAt: Date;

  @Column('timestamptz')
  newEndsAt: Date;

  @Column('text')
  reason: string;

  @Column('jsonb')
  actor: { type: string; id: string; name: string };

  @Column('timestamptz')
  at: Date;
}

/** A position as the staff events carry it (seed names); `accuracy` is absent when the fix did not report it. */
export interface GeoFixValue {
  latitude: number;
  longitude: number;
  accuracy?: number;
}

/** One technician's offer on one appointment, and what they did with it in the field. */
@Entity({ name: 'staff_assignments' })
export class StaffAssignmentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('uuid')
  appointmentId: string;

  @Column('uuid')
  userId: string;

  @Column('text', { nullable: true })
  userName: string | null;

  @Column('text')
  role: string;

  @Column('text')
  status: string;

  @Column('timestamptz')
  offeredAt: Date;

  @Column('uuid')
  offeredBy: string;

  @Column('timestamptz')
  responseDeadline: Date;

  @Column('timestamptz', { nullable: true })
  respondedAt: Date | null;

  @Column('text', { nullable: true })
  declineReason: string | null;

  /** The seed's name; the column kept its first one. */
  @Column('boolean', { name: 'available_for_future', nullable: true })
  isAvailableForFuture: boolean | null;

  @Column('text', { nullable: true })
  notes: string | null;

  @Column('timestamptz', { nullable: true })
  dispatchedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  enRouteAt: Date | null;

  @Column('timestamptz', { nullable: true })
  eta: Date | null;

  @Column('timestamptz', { nullable: true })
  checkedInAt: Date | null;

  @Column('jsonb', { nullable: true })
  checkInLocation: GeoFixValue | null;

  /** How the check-in was established. */
  @Column('text', { nullable: true })
  verificationMethod: string | null;

  @Column('timestamptz', { nullable: true })
  checkedOutAt: Date | null;

  @Column('jsonb', { nullable: true })
  checkOutLocation: GeoFixValue | null;

  @Column('text', { nullable: true })
  checkOutVerificationMethod: string | null;

  @Column('numeric', { precision: 6, scale: 2, nullable: true, transformer: { to: (v?: number | null) => v, from: (v?: string | null) => (v == null ? null : Number(v)) } })
  hoursWorked: number | null;

  @Column('text', { nullable: true })
  feedback: string | null;

  @Column('timestamptz', { nullable: true })
  noShowAt: Date | null;

  @Column('uuid', { nullable: true })
  noShowReportedBy: string | null;

  @Column('text', { nullable: true })
  consequenceLevel: string | null;

  @Column('int')
  version: number;

  @Column('timestamptz')
  updatedAt: Date;
}
