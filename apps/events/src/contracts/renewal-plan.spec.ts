import type { ContractBilling, ServicePromise } from '@app/shared/api/events/contracts.dto';
import { renewalPeriod, shiftBilling, shiftDate, shiftServices } from './renewal-plan';

describe('renewal plan', () => {
  it('starts the day after the old end and lasts as long, across a leap year', () => {
    expect(renewalPeriod({ startDate: '2026-01-01', endDate: '2026-12-31' }, {})).toEqual({ startDate: '2027-01-01', endDate: '2027-12-31', shiftDays: 365 });
    expect(renewalPeriod({ startDate: '2027-03-01', endDate: '2028-02-29' }, {})).toEqual({ startDate: '2028-03-01', endDate: '2029-02-28', shiftDays: 366 });
  });

  it('takes the dates asked for and refuses an end before the start, naming the field', () => {
    expect(renewalPeriod({ startDate: '2026-01-01', endDate: '2026-12-31' }, { startDate: '2027-02-01', endDate: '2027-07-31' })).toEqual({
      startDate: '2027-02-01',
      endDate: '2027-07-31',
      shiftDays: 396,
    });
    expect(() => renewalPeriod({ startDate: '2026-01-01', endDate: '2026-12-31' }, { startDate: '2027-02-01', endDate: '2027-01-31' })).toThrow(
      expect.objectContaining({ fieldErrors: { endDate: expect.any(Array) } }),
    );
  });

  it('moves milestones by the shift and leaves other billing as it was', () => {
    expect(shiftDate('2026-12-31', 1)).toBe('2027-01-01');
    const billing = { mode: 'schedule', total: '100.00', currency: 'INR', milestones: [{ title: 'Half', amount: '50.00', dueDate: '2026-06-30' }] };
    expect(shiftBilling(billing as ContractBilling, 365)).toEqual({ ...billing, milestones: [{ title: 'Half', amount: '50.00', dueDate: '2027-06-30' }] });
    expect(shiftBilling(null, 10)).toBeNull();
  });

  it('moves the UNTIL of a recurrence rule and leaves other services as they were', () => {
    const visit = { name: 'Visit', quantity: 4 };
    expect(shiftServices([{ name: 'Weekly', rrule: 'FREQ=WEEKLY;UNTIL=20261231T000000Z' }, visit] as ServicePromise[], 365)).toEqual([
      { name: 'Weekly', rrule: 'FREQ=WEEKLY;UNTIL=20271231T000000Z' },
      visit,
    ]);
  });
});
