import { DateTime } from 'luxon';

/**
 * When a message may go out, given the tenant's quiet hours in its own timezone. Quiet hours defer, never
 * drop: inside the window the answer is the window's end. A window whose end is before its start spans
 * midnight (22:00–07:00). Wall-clock arithmetic goes through luxon so DST days keep the local end time.
 */
export function quietHoursRelease(now: Date, timezone: string, start: string | null, end: string | null): Date | null {
  if (!start || !end || start === end) return null;
  const local = DateTime.fromJSDate(now, { zone: timezone });
  if (!local.isValid) return null;
  const [sh, sm] = hm(start);
  const [eh, em] = hm(end);
  const minutes = local.hour * 60 + local.minute;
  const startMin = sh * 60 + sm;
  const endMin = eh * 60 + em;
  const spansMidnight = endMin < startMin;
  const inside = spansMidnight ? minutes >= startMin || minutes < endMin : minutes >= startMin && minutes < endMin;
  if (!inside) return null;
  let release = local.set({ hour: eh, minute: em, second: 0, millisecond: 0 });
  if (release <= local) release = release.plus({ days: 1 }).set({ hour: eh, minute: em });
  return release.toJSDate();
}

function hm(t: string): [number, number] {
  const [h, m] = t.split(':').map(Number);
  return [h, m || 0];
}

/** Day and month keys of the tenant's calendar, for the daily and monthly limits. */
export function usagePeriods(now: Date, timezone: string): { day: string; month: string; nextDay: Date; nextMonth: Date } {
  const local = DateTime.fromJSDate(now, { zone: timezone });
  return {
    day: `d:${local.toFormat('yyyy-LL-dd')}`,
    month: `m:${local.toFormat('yyyy-LL')}`,
    nextDay: local.startOf('day').plus({ days: 1 }).toJSDate(),
    nextMonth: local.startOf('month').plus({ months: 1 }).toJSDate(),
  };
}
