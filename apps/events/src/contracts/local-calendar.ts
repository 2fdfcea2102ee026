import { DateTime, Zone } from 'luxon';

export type CalendarUnit = 'day' | 'week' | 'month';

/**
 * `start.plus({ [unit + 's']: n }).toMillis()`, computed the way luxon computes it (same calendar arithmetic,
 * same offset fix-up, so the same instant in every zone and across daylight-saving changes), without
 * building DateTimes: luxon's plus looks the zone offset up twice and allocates several objects per call,
 * which made planning a 1,000-visit contract cost ~25 ms. Here the common case is one offset look-up.
 */
export function plusLocal(start: DateTime, unit: CalendarUnit, n: number): number {
  // Years 0–99 get special treatment in luxon (Date.UTC maps them to 19xx); contracts never start there.
  if (!Number.isInteger(n) || start.year < 100) return start.plus({ [`${unit}s`]: n }).toMillis();
  const month = unit === 'month' ? start.month + n : start.month;
  const day = Math.min(start.day, daysInMonth(start.year, month)) + (unit === 'day' ? n : unit === 'week' ? 7 * n : 0);
  const localTs = Date.UTC(start.year, month - 1, day, start.hour, start.minute, start.second, start.millisecond);
  return fixOffset(localTs, start.offset, start.zone);
}

/** Days of `month` (1-based, may run past 12 into the following years). */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** luxon's fixOffset: the instant of a local time, guessing the offset first (the start's). */
function fixOffset(localTs: number, o: number, zone: Zone): number {
  let guess = localTs - o * 60000;
  const o2 = zone.offset(guess);
  if (o === o2) return guess;
  guess -= (o2 - o) * 60000;
  const o3 = zone.offset(guess);
  if (o2 === o3) return guess;
  return localTs - Math.min(o2, o3) * 60000;
}
