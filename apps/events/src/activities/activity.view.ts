import type { ActivityView } from '@app/shared/api/events/activities.views';
import { ActivityRow } from './activity.repository';

export type ActivityStatus = 'open' | 'assigned' | 'in_progress' | 'completed';

/** Where an activity is: derived from its fields, so the sub-task's `done` and the activity can never disagree. */
export function activityStatus(a: Pick<ActivityRow, 'done' | 'startedAt' | 'assigneeId'>): ActivityStatus {
  if (a.done) return 'completed';
  if (a.startedAt) return 'in_progress';
  if (a.assigneeId) return 'assigned';
  return 'open';
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function activityView(a: ActivityRow): ActivityView {
  return {
    id: a.id,
    eventId: a.eventId,
    contractId: a.contractId,
    title: a.title,
    activityType: a.activityType,
    description: a.description,
    duration: a.durationMinutes,
    requiredKitTemplateIds: a.requiredKitTemplateIds,
    requiredStaffRoles: a.requiredStaffRoles,
    required: a.required,
    dueDate: a.dueDate,
    status: activityStatus(a),
    assignee:
      a.assigneeId && a.assignmentId
        ? {
            assignmentId: a.assignmentId,
            userId: a.assigneeId,
            name: a.assigneeName,
            role: a.assigneeRole ?? 'technician',
            instructions: a.instructions,
            assignedBy: a.assignedBy!,
            assignedAt: iso(a.assignedAt)!,
          }
        : null,
    startedBy: a.startedBy,
    startedAt: iso(a.startedAt),
    completedBy: a.completedBy,
    completedAt: a.done ? iso(a.doneAt) : null,
    outcomes: a.outcomes,
    issues: a.issues,
    kitsInUse: a.kitsInUse,
    version: a.version,
    createdAt: iso(a.createdAt)!,
    updatedAt: iso(a.updatedAt)!,
  };
}
