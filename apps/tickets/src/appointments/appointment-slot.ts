import { IANAZone } from 'luxon';
import { DomainError } from '@app/shared/errors/domain-error';

/** A slot must end after it starts, last at most 14 days, and name a real IANA zone: each is a 400 on the named field. */
export function assertSlot(startsAt: Date, endsAt: Date, timezone?: string): void {
  const errors: Record<string, string[]> = {};
  if (endsAt.getTime() <= startsAt.getTime()) errors.endsAt = ['endsAt must be after startsAt'];
  if (endsAt.getTime() - startsAt.getTime() > 14 * 24 * 3600 * 1000) errors.endsAt = ['an appointment lasts at most 14 days'];
  if (timezone !== undefined && !IANAZone.isValidZone(timezone)) errors.timezone = ['timezone must be an IANA zone such as Asia/Kolkata'];
  if (Object.keys(errors).length > 0) throw DomainError.validation(errors);
}
