import { DomainError } from '@app/shared/errors/domain-error';

/** Refuses a flow change that would strand events in a status the new flow does not have. */
export function assertStatusesKept(inUse: ReadonlyArray<{ status: string; n: number }>, codes: ReadonlySet<string>): void {
  const dropped = inUse.filter((u) => !codes.has(u.status));
  if (dropped.length > 0) {
    throw DomainError.rule(`statuses still held by events cannot be removed: ${dropped.map((d) => `${d.status} (${d.n})`).join(', ')}`, {
      statusesInUse: dropped.map((d) => d.status),
    });
  }
}
