import { DateTime } from 'luxon';

/** `TKT-2026-00042`: the year is the tenant's local year; five digits, wider past 99999 rather than wrapping. */
export function formatTicketNumber(year: number, sequence: number): string {
  return `TKT-${year}-${String(sequence).padStart(5, '0')}`;
}

/** The calendar year at `at` in the tenant's timezone (UTC when the tenant's zone is unknown or invalid). */
export function ticketYear(at: Date, timezone: string | null): number {
  const local = DateTime.fromJSDate(at, { zone: timezone ?? 'UTC' });
  return local.isValid ? local.year : DateTime.fromJSDate(at, { zone: 'UTC' }).year;
}
