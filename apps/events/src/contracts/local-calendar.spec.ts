import { DateTime } from 'luxon';
import { CalendarUnit, plusLocal } from './local-calendar';

describe('plusLocal', () => {
  // Zones with daylight saving at night, at midnight (Havana, Santiago), by 30 minutes (Lord Howe), none (Kolkata).
  const zones = ['Asia/Kolkata', 'Europe/Berlin', 'America/New_York', 'America/Havana', 'America/Santiago', 'Australia/Lord_Howe', 'Pacific/Apia', 'UTC'];
  // Month ends, leap days, and days whose midnight is skipped (Havana 8 March, Santiago 6 September 2026).
  const starts = ['2026-01-31', '2026-03-08', '2026-09-06', '2026-10-25', '2027-02-28', '2028-02-29'];
  const steps: Array<[CalendarUnit, number[]]> = [
    ['day', Array.from({ length: 400 }, (_, i) => i)],
    ['week', Array.from({ length: 60 }, (_, i) => i)],
    ['month', Array.from({ length: 40 }, (_, i) => i)],
  ];

  it.each(zones)('answers what luxon answers in %s', (zone) => {
    const differences: string[] = [];
    for (const iso of starts) {
      const start = DateTime.fromISO(iso, { zone }).startOf('day');
      for (const [unit, ns] of steps) {
        for (const n of ns) {
          const want = start.plus({ [`${unit}s`]: n }).toMillis();
          const got = plusLocal(start, unit, n);
          if (got !== want) differences.push(`${iso} + ${n} ${unit}: ${new Date(got).toISOString()} instead of ${new Date(want).toISOString()}`);
        }
      }
    }
    expect(differences).toEqual([]);
  });
});
