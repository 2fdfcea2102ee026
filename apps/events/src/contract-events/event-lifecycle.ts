import { StatusMachine } from '@app/shared/status-machine/status-machine';

/** The seed's lifecycle events of a contract event (booking-events-schema §2). */
export type LifecycleEventType = 'EVENT_PREPARATION_STARTED' | 'EVENT_READY' | 'EVENT_STARTED' | 'EVENT_COMPLETED' | 'EVENT_CANCELLED';

/** The status code that means "ready": no bucket says it, so a tenant adds a status with this code to its flow. */
export const READY_STATUS = 'ready';

const LAGGING = ['due', 'overdue'];

/**
 * Which lifecycle event (if any) a move of a contract event emits beside CONTRACT_EVENT_STATUS_CHANGED,
 * decided on the tenant's own flow by the bucket (category) of the statuses, so overridden flows emit them too:
 * - into the `done` bucket from outside it → EVENT_COMPLETED;
 * - into the `cancelled` bucket from outside it → EVENT_CANCELLED;
 * - into the `in_progress` bucket from outside it → EVENT_STARTED (on_hold → in_progress is a resumption, not a start);
 * - into the status coded `ready` → EVENT_READY;
 * - into a non-initial `upcoming` status from the initial status or a due/overdue one → EVENT_PREPARATION_STARTED
 *   (scheduled → assigned in the defaults).
 */
export function lifecycleEventOf(machine: StatusMachine, from: string, to: string): LifecycleEventType | null {
  const target = machine.status(to);
  if (!target || from === to) return null;
  const source = machine.status(from);
  const was = source?.category ?? null;
  const is = target.category ?? null;
  if (is === 'done' && was !== 'done') return 'EVENT_COMPLETED';
  if (is === 'cancelled' && was !== 'cancelled') return 'EVENT_CANCELLED';
  if (is === 'in_progress' && was !== 'in_progress') return 'EVENT_STARTED';
  if (to === READY_STATUS) return 'EVENT_READY';
  if (is === 'upcoming' && !target.isInitial && (source?.isInitial || LAGGING.includes(was ?? ''))) return 'EVENT_PREPARATION_STARTED';
  return null;
}
