import type { KitAssignmentView, KitHistoryEntryView, KitTemplateView, KitView } from '@app/shared/api/events/kits.views';
import { KitAssignmentRow, KitHistoryRow, KitRow } from './kit.repository';
import { KitTemplateRow } from './kit-template.repository';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function kitTemplateView(t: KitTemplateRow): KitTemplateView {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    components: t.components,
    archived: t.archivedAt !== null,
    version: t.version,
    createdAt: iso(t.createdAt)!,
    updatedAt: iso(t.updatedAt)!,
  };
}

export function kitAssignmentView(a: KitAssignmentRow): KitAssignmentView {
  return {
    id: a.id,
    kitId: a.kitInstanceId,
    kitTemplateId: a.kitTemplateId,
    activityId: a.activityId,
    eventId: a.eventId,
    quantity: a.quantity,
    notes: a.notes,
    status: a.status,
    assignedBy: a.assignedBy,
    assignedAt: iso(a.assignedAt)!,
    preparedBy: a.preparedBy,
    preparedAt: iso(a.preparedAt),
    checkedOutBy: a.checkedOutBy,
    checkedOutAt: iso(a.checkedOutAt),
    checkedOutTo: a.checkedOutTo,
    expectedReturnDate: iso(a.expectedReturnAt),
    returnedBy: a.returnedBy,
    returnedAt: iso(a.returnedAt),
    receivedBy: a.receivedBy,
    returnCondition: a.returnCondition,
    missingComponents: a.missingComponents ?? [],
    damagedComponents: a.damagedComponents ?? [],
  };
}

export function kitView(k: KitRow, assignment: KitAssignmentRow | null | undefined): KitView {
  return {
    id: k.id,
    templateId: k.templateId,
    label: k.label,
    condition: k.condition,
    status: k.status,
    components: k.components,
    assignment: assignment ? kitAssignmentView(assignment) : null,
    version: k.version,
    createdAt: iso(k.createdAt)!,
    updatedAt: iso(k.updatedAt)!,
  };
}

export function kitHistoryView(h: KitHistoryRow): KitHistoryEntryView {
  return {
    id: h.id,
    action: h.action,
    fromStatus: h.fromStatus,
    toStatus: h.toStatus,
    condition: h.condition,
    kitAssignmentId: h.kitAssignmentId,
    details: h.details,
    actor: { type: h.actorType, id: h.actorId, name: h.actorName },
    at: iso(h.at)!,
  };
}
