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
  const o2 = offsetAt(zone, guess);
  if (o === o2) return guess;
  guess -= (o2 - o) * 60000;
  const o3 = offsetAt(zone, guess);
  if (o2 === o3) return guess;
  return localTs - Math.min(o2, o3) * 60000;
}

/**
 * Most instants (of all zones) whose offsets are remembered (a few MB at most): a zone's offset at an
 * instant never changes within a process, and the same contract is planned when it is created, submitted
 * and activated, at the same local midnights, which contracts starting on one day also share. An offset
 * look-up is an Intl formatToParts, 10–30 µs, the larger part of planning what is left.
 */
const REMEMBERED = 20_000;
const offsets = new Map<string, Map<number, number>>();
let remembered = 0;

function offsetAt(zone: Zone, ts: number): number {
  if (zone.isUniversal) return zone.offset(ts);
  let known = offsets.get(zone.name);
  if (!known) offsets.set(zone.name, (known = new Map()));
  let o = known.get(ts);
  if (o === undefined) {
    o = zone.offset(ts);
    if (remembered >= REMEMBERED) {
      offsets.clear();
      remembered = 0;
      offsets.set(zone.name, (known = new Map()));
    }
    known.set(ts, o);
    remembered++;
  }
  return o;
}
