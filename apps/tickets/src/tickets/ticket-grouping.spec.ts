import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { assertGroupable, GroupableEvent } from './ticket-grouping';

const contract = 'c1';
const ev = (id: string, over: Partial<GroupableEvent> = {}): GroupableEvent => ({
  id,
  contractId: contract,
  eventType: 'service',
  status: 'scheduled',
  ...over,
});

function refusal(fn: () => void): DomainError {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('assertGroupable (one ticket = one contract, service and spare_part events only)', () => {
  it('accepts open service and spare_part events of the contract', () => {
    expect(() => assertGroupable(contract, ['a', 'b'], [ev('a'), ev('b', { eventType: 'spare_part' })], [])).not.toThrow();
  });

  it('answers NOT_FOUND for ids it does not know, naming them', () => {
    const err = refusal(() => assertGroupable(contract, ['a', 'x'], [ev('a')], []));
    expect(err.code).toBe(ErrorCode.NOT_FOUND);
    expect(err.details).toEqual({ eventIds: ['x'] });
  });

  it('refuses events of another contract', () => {
    const err = refusal(() => assertGroupable(contract, ['a', 'b'], [ev('a'), ev('b', { contractId: 'c2' })], []));
    expect(err.details).toMatchObject({ reason: 'OTHER_CONTRACT', eventIds: ['b'] });
  });

  it('refuses billing events', () => {
    const err = refusal(() => assertGroupable(contract, ['a'], [ev('a', { eventType: 'billing' })], []));
    expect(err.code).toBe(ErrorCode.BUSINESS_RULE);
    expect(err.details).toMatchObject({ reason: 'BILLING_EVENT' });
  });

  it('refuses events that are already completed or cancelled', () => {
    const err = refusal(() => assertGroupable(contract, ['a'], [ev('a', { status: 'completed' })], []));
    expect(err.details).toMatchObject({ reason: 'EVENT_CLOSED' });
  });

  it('refuses events held by another open ticket, naming the ticket', () => {
    const err = refusal(() => assertGroupable(contract, ['a'], [ev('a')], [{ eventId: 'a', ticketId: 't1', ticketNumber: 'TKT-2026-00007' }]));
    expect(err.details).toMatchObject({ reason: 'ALREADY_ON_OPEN_TICKET', ticketIds: ['t1'] });
    expect(err.message).toContain('TKT-2026-00007');
  });
});
