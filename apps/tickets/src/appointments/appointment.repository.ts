import { Injectable } from '@nestjs/common';
import { EntityManager, In, Not } from 'typeorm';
import { DomainError } from '@app/shared/errors/domain-error';
import { AppointmentEntity, StaffAssignmentEntity } from './appointment.entities';

/** Offers that are over: they no longer hold the technician's time nor block a new offer. */
export const RELEASED_ASSIGNMENT_STATUSES = ['declined', 'expired', 'withdrawn'];
/** Assignments whose technician is (or may become) on the visit. */
export const HOLDING_ASSIGNMENT_STATUSES = ['offered', 'accepted', 'dispatched', 'en_route', 'checked_in'];

@Injectable()
export class AppointmentRepository {
  async lockOrFail(tx: EntityManager, tenantId: string, id: string): Promise<AppointmentEntity> {
    const a = await tx.findOne(AppointmentEntity, { where: { tenantId, id }, lock: { mode: 'pessimistic_write' } });
    if (!a) throw DomainError.notFound('appointment', id);
    return a;
  }

  async findOrFail(tx: EntityManager, tenantId: string, id: string): Promise<AppointmentEntity> {
    const a = await tx.findOne(AppointmentEntity, { where: { tenantId, id } });
    if (!a) throw DomainError.notFound('appointment', id);
    return a;
  }

  assignments(tx: EntityManager, appointmentId: string): Promise<StaffAssignmentEntity[]> {
    return tx.find(StaffAssignmentEntity, { where: { appointmentId }, order: { offeredAt: 'ASC' } });
  }

  liveAssignments(tx: EntityManager, appointmentId: string): Promise<StaffAssignmentEntity[]> {
    return tx.find(StaffAssignmentEntity, { where: { appointmentId, status: Not(In(RELEASED_ASSIGNMENT_STATUSES)) } });
  }

  /** The technician's current (not declined/expired/withdrawn) assignment on the appointment, locked. */
  async liveAssignmentOrFail(tx: EntityManager, tenantId: string, appointmentId: string, userId: string): Promise<StaffAssignmentEntity> {
    const a = await tx.findOne(StaffAssignmentEntity, {
      where: { tenantId, appointmentId, userId, status: Not(In(RELEASED_ASSIGNMENT_STATUSES)) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!a) throw DomainError.notFound(`assignment of user ${userId} on appointment`, appointmentId);
    return a;
  }
}
