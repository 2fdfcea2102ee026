import { DateTime } from 'luxon';
import { DomainError } from '@app/shared/errors/domain-error';
import { planEvents } from './promise-planner';

const base = { startDate: '2026-01-31', endDate: '2026-12-31', timezone: 'Asia/Kolkata' };
const local = (d: Date) => DateTime.fromJSDate(d, { zone: 'Asia/Kolkata' }).toISODate();

describe('planEvents', () => {
  it('keeps month-end cadences on the month end instead of drifting', () => {
    const plan = planEvents({ ...base, services: [{ name: 'Visit', every: { unit: 'month', interval: 1 } }] });
    expect(plan.slice(0, 4).map((p) => local(p.scheduledDate))).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(plan).toHaveLength(12);
  });

  it('plans a quantity at a cadence: that many visits from the start date, a period apart', () => {
    const plan = planEvents({ ...base, endDate: '2027-01-30', services: [{ name: 'AMC', quantity: 12, every: { unit: 'month', interval: 1 } }] });
    expect(plan.map((p) => local(p.scheduledDate))).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
      '2026-10-31',
      '2026-11-30',
      '2026-12-31',
    ]);
    expect(plan.map((p) => [p.sequenceNumber, p.totalOccurrences, p.title])).toEqual(Array.from({ length: 12 }, (_, k) => [k + 1, 12, `AMC (${k + 1}/12)`]));
  });

  it('stops a quantity at a cadence at the quantity, not at the end date', () => {
    const plan = planEvents({ ...base, services: [{ name: 'Quarterly', quantity: 2, every: { unit: 'month', interval: 3 } }] });
    expect(plan.map((p) => local(p.scheduledDate))).toEqual(['2026-01-31', '2026-04-30']);
  });

  it('refuses a quantity at a cadence that does not fit, saying how many do', () => {
    const refusal = () => planEvents({ ...base, services: [{ name: 'Weekly', quantity: 60, every: { unit: 'week', interval: 1 } }] });
    expect(refusal).toThrow(DomainError);
    try {
      refusal();
    } catch (e) {
      expect((e as DomainError).fieldErrors).toEqual({
        'services.0.quantity': [
          '60 visits every week from 2026-01-31 do not fit before the end date 2026-12-31: only 48 do. Lower quantity, shorten the cadence or move the end date.',
        ],
      });
    }
  });

  it('plans every alone once per period up to the end date, and an RRULE alone as it says', () => {
    const plan = planEvents({
      ...base,
      services: [
        { name: 'Fortnightly', every: { unit: 'week', interval: 2 } },
        { name: 'Mid-month', rrule: 'FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3' },
      ],
    });
    expect(plan.filter((p) => p.title.startsWith('Fortnightly'))).toHaveLength(24);
    expect(plan.filter((p) => p.title.startsWith('Mid-month')).map((p) => local(p.scheduledDate))).toEqual(['2026-02-15', '2026-03-15', '2026-04-15']);
  });

  it('orders one day as services, parts, billing and numbers each promise', () => {
    const plan = planEvents({
      ...base,
      billing: { mode: 'prepaid', total: '500', currency: 'INR' },
      spareParts: [{ partId: 'P', name: 'Pump', promisedQty: 1 }],
      services: [{ name: 'Visit', quantity: 2 }],
    });
    expect(plan.map((p) => [p.eventType, local(p.scheduledDate)])).toEqual([
      ['service', '2026-01-31'],
      ['spare_part', '2026-01-31'],
      ['billing', '2026-01-31'],
      ['service', '2026-07-17'], // day floor(1 × 335 / 2) of the period
    ]);
    expect(plan[2]).toMatchObject({ amount: '500.00', title: 'Full payment (upfront)', sequenceNumber: 1, totalOccurrences: 1 });
  });

  it('keeps local midnight across a daylight-saving change', () => {
    const plan = planEvents({
      startDate: '2026-03-01',
      endDate: '2026-04-30',
      timezone: 'Europe/Berlin',
      services: [{ name: 'Weekly', every: { unit: 'week', interval: 1 } }],
    });
    expect(plan.every((p) => DateTime.fromJSDate(p.scheduledDate, { zone: 'Europe/Berlin' }).toFormat('HH:mm') === '00:00')).toBe(true);
  });

  it.each([
    [{ services: [{ name: 'X' }] }, 'services.0'],
    [{ services: [{ name: 'X', rrule: 'DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY' }] }, 'services.0.rrule'],
    [{ services: [{ name: 'X', rrule: 'FREQ=NOPE' }] }, 'services.0.rrule'],
    [{ services: [{ name: 'X', rrule: 'FREQ=WEEKLY', quantity: 3 }] }, 'services.0.rrule'],
    [{ services: [{ name: 'X', rrule: 'FREQ=WEEKLY', every: { unit: 'week', interval: 1 } }] }, 'services.0.rrule'],
    [{ services: [{ name: 'X', quantity: 2, every: { unit: 'month', interval: 12 } }] }, 'services.0.quantity'],
    [{ spareParts: [{ partId: 'A', name: 'A' }] }, 'spareParts.0'],
    [
      {
        spareParts: [
          { partId: 'A', name: 'A', promisedQty: 1 },
          { partId: 'A', name: 'B', unlimited: true },
        ],
      },
      'spareParts.1.partId',
    ],
    [{ billing: { mode: 'emi', total: '10', currency: 'INR' } }, 'billing.installments'],
    [{ billing: { mode: 'emi', total: '10', currency: 'INR', installments: 24 } }, 'billing.installments'],
    [
      { billing: { mode: 'schedule', total: '10', currency: 'INR', milestones: [{ title: 'A', amount: '10', dueDate: '2027-01-01' }] } },
      'billing.milestones.0.dueDate',
    ],
    [{ endDate: '2025-01-01' }, 'endDate'],
  ])('names the field of an invalid promise (%#)', (extra, field) => {
    try {
      planEvents({ ...base, ...(extra as object) });
      throw new Error('expected a validation error');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect(Object.keys((e as DomainError).fieldErrors ?? {})).toContain(field);
    }
  });
});
