import { isUniqueViolation, pgErrorCode } from './pg-errors';

describe('PostgreSQL error codes', () => {
  it('reads the code of a pg error and of a TypeORM QueryFailedError wrapping one', () => {
    expect(pgErrorCode({ code: '23505' })).toBe('23505');
    expect(pgErrorCode({ driverError: { code: '40P01' } })).toBe('40P01');
    expect(pgErrorCode(new Error('plain'))).toBeUndefined();
    expect(pgErrorCode(null)).toBeUndefined();
  });

  it('tells a unique violation from other failures', () => {
    expect(isUniqueViolation({ code: '23505' })).toBe(true);
    expect(isUniqueViolation({ driverError: { code: '23505' } })).toBe(true);
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });

  it('tells which unique index refused the row when asked', () => {
    expect(isUniqueViolation({ code: '23505', constraint: 'rpc_requests_pkey' }, 'rpc_requests_pkey')).toBe(true);
    expect(isUniqueViolation({ driverError: { code: '23505', constraint: 'rpc_requests_pkey' } }, 'rpc_requests_pkey')).toBe(true);
    expect(isUniqueViolation({ code: '23505', constraint: 'visits_pkey' }, 'rpc_requests_pkey')).toBe(false);
    expect(isUniqueViolation({ code: '23503', constraint: 'rpc_requests_pkey' }, 'rpc_requests_pkey')).toBe(false);
  });
});
