import { formatTicketNumber, ticketYear } from './ticket-number';

describe('ticket numbers', () => {
  it('formats TKT-<year>-<5 digits> and widens rather than wraps past 99999', () => {
    expect(formatTicketNumber(2026, 1)).toBe('TKT-2026-00001');
    expect(formatTicketNumber(2026, 123456)).toBe('TKT-2026-123456');
  });

  it("takes the year in the tenant's timezone", () => {
    const at = new Date('2026-12-31T20:00:00Z');
    expect(ticketYear(at, 'Asia/Kolkata')).toBe(2027);
    expect(ticketYear(at, 'America/New_York')).toBe(2026);
  });

  it('falls back to UTC for an unknown or invalid zone', () => {
    const at = new Date('2026-12-31T23:30:00Z');
    expect(ticketYear(at, null)).toBe(2026);
    expect(ticketYear(at, 'Not/AZone')).toBe(2026);
  });
});
