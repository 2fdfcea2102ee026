import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import type { Db } from '@app/shared/db/sql';
import { sourceOf } from '@app/shared/context/actor';
import { ContractEventRepository, ContractEventRow } from '../../contract-events/contract-event.repository';
import { AuditEntry } from '../../contract-events/event-audit.repository';
import { lockEvent } from '../../contract-events/use-cases/event-lookup';
import { ActivityRepository, ActivityRow } from '../activity.repository';

/**
 * The tenant's event and its activity, both locked for the transaction (event first, then the activity: the
 * order every writer of an event's sub-tasks keeps). A stale `version` of the activity is 409.
 */
export async function lockActivity(
  tx: Db,
  events: ContractEventRepository,
  activities: ActivityRepository,
  tenantId: string,
  input: { id: string; activityId: string },
): Promise<{ event: ContractEventRow; activity: ActivityRow }> {
  const event = await lockEvent(tx, events, tenantId, input.id);
  const activity = await activities.find(tx, tenantId, event.id, input.activityId, { lock: true });
  if (!activity) throw DomainError.notFound('activity', input.activityId);
  return { event, activity };
}

export function checkVersion(a: ActivityRow, expected: number | undefined): void {
  if (expected !== undefined && a.version !== expected) throw DomainError.versionConflict(expected, a.version);
}

/** Admins and agents act on any activity; a technician only on the ones assigned to them. */
export function checkMayCarryOut(ctx: RequestContext, a: ActivityRow): void {
  if (ctx.roles.includes('admin') || ctx.roles.includes('agent')) return;
  if (a.assigneeId && a.assigneeId === ctx.actor.id) return;
  throw new DomainError(ErrorCode.FORBIDDEN, 'only the person assigned to this activity (or an admin or agent) may do this', { activityId: a.id });
}

/** The event's audit row of a change to one of its activities (field `activity`), by the caller. */
export function activityAudit(ctx: RequestContext, eventId: string, change: { from: string | null; to: string }, at: Date): AuditEntry {
  return { tenantId: ctx.tenantId, eventId, field: 'activity', from: change.from, to: change.to, actor: ctx.actor, source: sourceOf(ctx.actor), at };
}
