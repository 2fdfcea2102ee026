/** A field of a failed statement's PostgreSQL error (pg's error, or TypeORM's QueryFailedError around it). */
function pgErrorField(err: unknown, field: 'code' | 'constraint'): string | undefined {
  const e = err as (Record<string, unknown> & { driverError?: Record<string, unknown> }) | null;
  const value = e?.[field] ?? e?.driverError?.[field];
  return typeof value === 'string' ? value : undefined;
}

/** The PostgreSQL error code of a failed statement. */
export function pgErrorCode(err: unknown): string | undefined {
  return pgErrorField(err, 'code');
}

/**
 * A unique index (`constraint`, when named) refused the row (23505): a race the statement's own check could
 * not see.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  return pgErrorCode(err) === '23505' && (constraint === undefined || pgErrorField(err, 'constraint') === constraint);
}
