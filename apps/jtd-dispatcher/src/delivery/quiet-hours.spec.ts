import { quietHoursRelease, usagePeriods } from './quiet-hours';

describe('quiet hours', () => {
  it('defers a message sent at 23:30 in Asia/Kolkata to 07:00 the next morning there', () => {
    const at = new Date('2026-11-22T18:00:00Z'); // 23:30 IST
    expect(quietHoursRelease(at, 'Asia/Kolkata', '22:00', '07:00')?.toISOString()).toBe('2026-11-23T01:30:00.000Z');
  });

  it('defers a message sent at 02:00 in Asia/Kolkata to 07:00 the same morning', () => {
    const at = new Date('2026-11-22T20:30:00Z'); // 02:00 IST on the 23rd
    expect(quietHoursRelease(at, 'Asia/Kolkata', '22:00', '07:00')?.toISOString()).toBe('2026-11-23T01:30:00.000Z');
  });

  it('lets a message through outside the window, including exactly at its end', () => {
    expect(quietHoursRelease(new Date('2026-11-22T06:00:00Z'), 'Asia/Kolkata', '22:00', '07:00')).toBeNull();
    expect(quietHoursRelease(new Date('2026-11-23T01:30:00Z'), 'Asia/Kolkata', '22:00', '07:00')).toBeNull();
  });

  it('keeps the local end time across the spring-forward night in America/New_York', () => {
    // 2026-03-08: clocks jump 02:00 → 03:00 EST→EDT. 23:00 EST on the 7th = 04:00Z on the 8th.
    const release = quietHoursRelease(new Date('2026-03-08T04:00:00Z'), 'America/New_York', '22:00', '07:00');
    expect(release?.toISOString()).toBe('2026-03-08T11:00:00.000Z'); // 07:00 EDT (UTC-4)
  });

  it('keeps the local end time across the fall-back night in America/New_York', () => {
    // 2026-11-01: 02:00 EDT → 01:00 EST. 23:00 EDT on Oct 31 = 03:00Z Nov 1.
    const release = quietHoursRelease(new Date('2026-11-01T03:00:00Z'), 'America/New_York', '22:00', '07:00');
    expect(release?.toISOString()).toBe('2026-11-01T12:00:00.000Z'); // 07:00 EST (UTC-5)
  });

  it('handles a same-day window and no window', () => {
    expect(quietHoursRelease(new Date('2026-11-22T13:00:00Z'), 'UTC', '12:00', '14:00')?.toISOString()).toBe('2026-11-22T14:00:00.000Z');
    expect(quietHoursRelease(new Date('2026-11-22T13:00:00Z'), 'UTC', null, null)).toBeNull();
  });

  it('counts limits per calendar day and month of the tenant timezone', () => {
    const p = usagePeriods(new Date('2026-11-30T20:00:00Z'), 'Asia/Kolkata'); // 01:30 IST on Dec 1
    expect(p.day).toBe('d:2026-12-01');
    expect(p.month).toBe('m:2026-12');
    expect(p.nextDay.toISOString()).toBe('2026-12-01T18:30:00.000Z');
  });
});
