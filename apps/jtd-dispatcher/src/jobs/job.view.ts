import { JobAttemptView, JobHistoryEntryView, JobPerformerView, JobView, SandboxMessageView } from '@app/shared/api/jtd/jobs.dto';
import { AttemptRow } from './attempt.repository';
import { JobHistoryRow } from './job-history.repository';
import { JobRow } from './job-row';
import { SandboxRow } from './sandbox.repository';

/** The API shape of a job. */
export function jobView(j: JobRow): JobView {
  return {
    id: j.id,
    eventType: j.eventTypeCode,
    channel: j.channelCode,
    sourceType: j.sourceTypeCode,
    sourceId: j.sourceId,
    recipient: { type: j.recipientType, id: j.recipientId, name: j.recipientName, contact: j.recipientContact },
    templateKey: j.templateKey,
    status: j.status,
    previousStatus: j.previousStatus,
    statusChangedAt: iso(j.statusChangedAt),
    isValidTransition: j.isValidTransition,
    priority: j.priority,
    scheduledAt: iso(j.scheduledAt),
    nextAttemptAt: iso(j.nextAttemptAt),
    attempts: j.attempts,
    maxRetries: j.maxRetries,
    providerMessageId: j.providerMessageId,
    lastError: j.lastError,
    errorCode: j.errorCode,
    cost: j.cost,
    performedBy: performerView(j.performedByType, j.performedById, j.performedByName),
    isLive: j.isLive,
    version: j.version,
    createdAt: iso(j.createdAt),
    updatedAt: iso(j.updatedAt),
  };
}

/** A history row in the API's names: the shared `seconds_in_previous` is `durationSeconds`, `reason` the note, the actor `performedBy`. */
export function historyEntryView(r: JobHistoryRow): JobHistoryEntryView {
  return {
    from: r.from,
    to: r.to,
    at: iso(r.at),
    durationSeconds: r.secondsInPrevious,
    isValidTransition: r.isValidTransition,
    performedBy: performerView(r.actorType, r.actorId, r.actorName),
    note: r.reason,
    details: r.details,
  };
}

export function attemptView(a: AttemptRow): JobAttemptView {
  return { ...a, at: iso(a.at) };
}

export function sandboxMessageView(r: SandboxRow): SandboxMessageView {
  return { id: r.id, jtdId: r.jtdId, channel: r.channel, provider: r.provider, request: r.request, createdAt: iso(r.createdAt) };
}

function performerView(type: string, id: string | null, name: string | null): JobPerformerView {
  return { type, id, name };
}

export function iso(d: Date | string): string;
export function iso(d: Date | string | null | undefined): string | null;
export function iso(d: Date | string | null | undefined): string | null {
  return d ? new Date(d).toISOString() : null;
}
