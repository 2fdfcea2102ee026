import { Injectable } from '@nestjs/common';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { ConfirmLocationDto } from '@app/shared/api/tickets/locations.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { AppointmentLocation, AppointmentRepository, LocationDetails } from '../appointment.repository';
import { toAppointmentView } from '../appointment.view';
import { locationRefs } from '../check-in-site';
import { StaffAssignmentRepository } from '../staff-assignment.repository';
import { CLOSED_APPOINTMENT_STATUSES } from '../technician-calendar';

/**
 * Confirms where a visit happens (who, when, address, coordinates, contact on site): the visit keeps it,
 * check-ins are measured from the confirmed coordinates, and LOCATION_CONFIRMED tells the other services.
 */
@Injectable()
export class ConfirmLocationUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly appointments: AppointmentRepository,
    private readonly assignments: StaffAssignmentRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: ConfirmLocationDto): Promise<AppointmentView> {
    if ((dto.lat === undefined) !== (dto.lng === undefined)) {
      throw DomainError.validation({ [dto.lat === undefined ? 'lat' : 'lng']: ['lat and lng are given together'] });
    }
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      const a = await this.appointments.lockOrFail(tx, ctx.tenantId, dto.id);
      if (CLOSED_APPOINTMENT_STATUSES.includes(a.status)) {
        throw DomainError.rule(`appointment is ${a.status}; its location can no longer be confirmed`, { reason: 'APPOINTMENT_CLOSED' });
      }
      const location: AppointmentLocation = {
        ...((dto.address ?? a.location?.address) ? { address: dto.address ?? a.location?.address } : {}),
        ...(dto.lat !== undefined ? { lat: dto.lat, lng: dto.lng } : a.location?.lat !== undefined ? { lat: a.location.lat, lng: a.location.lng } : {}),
      };
      if (location.address === undefined && location.lat === undefined) {
        throw DomainError.rule('the visit has no location to confirm: give an address or coordinates', { reason: 'NO_LOCATION', field: 'address' });
      }
      const details: LocationDetails = {
        ...(dto.contactPerson ? { contactPerson: { name: dto.contactPerson.name, phone: dto.contactPerson.phone, email: dto.contactPerson.email } } : {}),
        ...(dto.specialInstructions ? { specialInstructions: dto.specialInstructions } : {}),
        ...(dto.accessDetails ? { accessDetails: dto.accessDetails } : {}),
      };
      const version = await this.appointments.confirmLocation(tx, a, { location, details, by: ctx.actor.id, at: now });
      const confirmed = { ...a, location, locationDetails: details, locationConfirmedAt: now, locationConfirmedBy: ctx.actor.id, version, updatedAt: now };
      await this.outbox.append(tx, ctx, [
        {
          type: 'LOCATION_CONFIRMED',
          aggregateId: a.id,
          aggregateVersion: version,
          payload: {
            ...locationRefs(a),
            confirmedBy: ctx.actor.id,
            confirmedAt: now.toISOString(),
            ...(location.address ? { address: location.address } : {}),
            ...(location.lat !== undefined ? { latitude: location.lat, longitude: location.lng } : {}),
            ...details,
            occurredAt: now.toISOString(),
          },
        },
      ]);
      return toAppointmentView(confirmed, await this.assignments.ofAppointment(tx, ctx.tenantId, a.id));
    });
  }
}
