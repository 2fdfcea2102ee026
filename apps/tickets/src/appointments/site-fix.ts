import { CheckInDto } from '@app/shared/api/tickets/appointments.dto';
import { GeoFixValue } from './staff-assignment.repository';

/** The position in the staff events' shape; `accuracy` stays absent when the device did not report one. */
export function siteFix(dto: Pick<CheckInDto, 'lat' | 'lng' | 'accuracy'>): GeoFixValue {
  return { latitude: dto.lat, longitude: dto.lng, ...(dto.accuracy !== undefined ? { accuracy: dto.accuracy } : {}) };
}
