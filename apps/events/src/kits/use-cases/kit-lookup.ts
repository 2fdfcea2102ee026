import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import type { Db } from '@app/shared/db/sql';
import { KitRepository, KitRow } from '../kit.repository';

/** The tenant's kit, locked for the transaction; a stale `version` is 409. */
export async function lockKit(tx: Db, kits: KitRepository, tenantId: string, id: string, expectedVersion?: number): Promise<KitRow> {
  const k = await kits.find(tx, tenantId, id, { lock: true });
  if (!k) throw DomainError.notFound('kit', id);
  if (expectedVersion !== undefined && k.version !== expectedVersion) throw DomainError.versionConflict(expectedVersion, k.version);
  return k;
}

/** Saves the kit (its version goes up) and writes what happened to its history, in the caller's transaction. */
export async function saveKit(
  tx: Db,
  kits: KitRepository,
  ctx: RequestContext,
  before: KitRow | null,
  after: KitRow,
  change: { action: string; assignmentId: string | null; details?: Record<string, unknown>; at: Date },
): Promise<number> {
  if (before && !(await kits.save(tx, ctx.tenantId, after, change.at))) {
    throw new DomainError(ErrorCode.CONFLICT, `the label ${after.label} is another kit's`, undefined, { label: ['label is already another kit’s'] });
  }
  await kits.appendHistory(tx, ctx.tenantId, {
    kitInstanceId: after.id,
    kitAssignmentId: change.assignmentId,
    action: change.action,
    fromStatus: before?.status ?? null,
    toStatus: after.status,
    condition: after.condition,
    details: change.details ?? {},
    actor: ctx.actor,
    at: change.at,
  });
  return before ? before.version + 1 : after.version;
}

/** Component ids of the kit that a request names; an unknown one is 400 naming the field. */
export function checkComponentIds(k: KitRow, items: ReadonlyArray<{ id: string }> | undefined): void {
  const known = new Set(k.components.map((c) => c.id));
  const errors: Record<string, string[]> = {};
  const seen = new Set<string>();
  (items ?? []).forEach((c, i) => {
    if (!known.has(c.id)) errors[`components.${i}.id`] = [`kit ${k.label} has no component ${c.id}`];
    else if (seen.has(c.id)) errors[`components.${i}.id`] = [`component ${c.id} is named twice`];
    seen.add(c.id);
  });
  if (Object.keys(errors).length > 0) throw DomainError.validation(errors, 'a component the kit does not have');
}
