import { DateTime } from 'luxon';
import type { ContractBilling, ServicePromise } from '@app/shared/api/events/contracts.dto';
import { DomainError } from '@app/shared/errors/domain-error';
import { ContractRow } from './contract.repository';

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `date` moved by `days` calendar days. */
export function shiftDate(date: string, days: number): string {
  return dateOf(dayNumber(date) + days);
}

export interface RenewalPeriod {
  startDate: string;
  endDate: string;
  /** Days between the old and the new start date: dated promises move by as much. */
  shiftDays: number;
}

/**
 * The renewal's period: by default the day after the old end, as long as the old contract: in whole months
 * when the old one was whole months (a year from 1 March ends on the last day of February, leap or not),
 * else in days.
 */
export function renewalPeriod(old: Pick<ContractRow, 'startDate' | 'endDate'>, wanted: { startDate?: string; endDate?: string }): RenewalPeriod {
  const startDate = wanted.startDate ?? shiftDate(old.endDate, 1);
  const endDate = wanted.endDate ?? sameLength(old, startDate);
  if (dayNumber(endDate) < dayNumber(startDate)) throw DomainError.validation({ endDate: ['endDate must not be before startDate'] });
  return { startDate, endDate, shiftDays: dayNumber(startDate) - dayNumber(old.startDate) };
}

/** The billing of the renewal: the same terms, milestones on the same days of the new period. */
export function shiftBilling(billing: ContractBilling | null, days: number): ContractBilling | null {
  if (!billing) return null;
  return { ...billing, ...(billing.milestones ? { milestones: billing.milestones.map((m) => ({ ...m, dueDate: shiftDate(m.dueDate, days) })) } : {}) };
}

function sameLength(old: Pick<ContractRow, 'startDate' | 'endDate'>, startDate: string): string {
  const from = DateTime.fromISO(old.startDate, { zone: 'utc' });
  const months = Math.round(DateTime.fromISO(old.endDate, { zone: 'utc' }).plus({ days: 1 }).diff(from, 'months').months);
  if (months > 0 && from.plus({ months }).minus({ days: 1 }).toISODate() === old.endDate) {
    return DateTime.fromISO(startDate, { zone: 'utc' }).plus({ months }).minus({ days: 1 }).toISODate()!;
  }
  return shiftDate(startDate, dayNumber(old.endDate) - dayNumber(old.startDate));
}

/** The services of the renewal: a rule's UNTIL moves with the period (the rest of a promise is relative to it). */
export function shiftServices(services: ServicePromise[], days: number): ServicePromise[] {
  return services.map((s) =>
    s.rrule
      ? {
          ...s,
          rrule: s.rrule.replace(
            /UNTIL=(\d{4})(\d{2})(\d{2})/i,
            (_m, y: string, mo: string, d: string) => `UNTIL=${shiftDate(`${y}-${mo}-${d}`, days).replace(/-/g, '')}`,
          ),
        }
      : s,
  );
}
