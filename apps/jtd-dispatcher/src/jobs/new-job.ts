import { Actor } from '@app/shared/context/actor';
import { JobPatch, JobRow } from './job-row';

/**
 * A job as it is first written: already in the status it goes to right after `created`, or, leased at
 * intake (IntakeLeases), in `executing` with its lease. Its id is chosen before the INSERT, so that the
 * gates and limits of a lease can run on the row it will be (`newJobRow`).
 */
export interface NewJob extends Pick<JobRow, NewJobRowFields> {
  sourceRef: string | null;
  dedupeKey: string;
  templateKey: string;
  templateId: string;
  performer: Actor;
  /** `created`, or the step before `status` for a job leased at intake. */
  previousStatus: string;
  /** Set for a job inserted leased, as `executing`. */
  lease: JobLease | null;
  /** Its creation: created_at, updated_at and status_changed_at. */
  at: Date;
  correlationId: string;
}

/** The fields a new job gives as its row has them (`version`: one per status passed through, `created` included). */
type NewJobRowFields =
  | 'id'
  | 'tenantId'
  | 'eventTypeCode'
  | 'channelCode'
  | 'sourceTypeCode'
  | 'sourceId'
  | 'requestId'
  | 'recipient'
  | 'recipientId'
  | 'recipientContact'
  | 'variables'
  | 'businessContext'
  | 'priority'
  | 'scheduledAt'
  | 'maxRetries'
  | 'retryDelaySeconds'
  | 'autoExecute'
  | 'isLive'
  | 'status'
  | 'isValidTransition'
  | 'nextAttemptAt'
  | 'version'
  | 'traceParent';

/** What a job leased at intake is inserted with: the columns the claim's move to `executing` sets. */
export type JobLease = Required<Pick<JobPatch, 'leaseOwner' | 'leaseUntil' | 'sendStartedAt' | 'attempts' | 'rendered'>>;

/** The row the INSERT of `job` writes (for the gates of a lease taken before it). */
export function newJobRow(job: NewJob): JobRow {
  return {
    id: job.id,
    tenantId: job.tenantId,
    eventTypeCode: job.eventTypeCode,
    channelCode: job.channelCode,
    sourceTypeCode: job.sourceTypeCode,
    sourceId: job.sourceId,
    recipientType: job.recipient.type,
    recipientId: job.recipientId,
    recipientName: job.recipient.name,
    recipientContact: job.recipientContact,
    recipient: job.recipient,
    templateKey: job.templateKey,
    templateId: job.templateId,
    variables: job.variables,
    businessContext: job.businessContext,
    status: job.status,
    previousStatus: job.previousStatus,
    statusChangedAt: job.at,
    isValidTransition: job.isValidTransition,
    priority: job.priority,
    scheduledAt: job.scheduledAt,
    nextAttemptAt: job.nextAttemptAt,
    attempts: job.lease?.attempts ?? 0,
    maxRetries: job.maxRetries,
    retryDelaySeconds: job.retryDelaySeconds,
    autoExecute: job.autoExecute,
    leaseOwner: job.lease?.leaseOwner ?? null,
    leaseUntil: job.lease?.leaseUntil ?? null,
    sentAt: null,
    lastError: null,
    errorCode: null,
    providerCode: null,
    providerMessageId: null,
    cost: '0',
    performedByType: job.performer.type,
    performedById: job.performer.id,
    performedByName: job.performer.name,
    isLive: job.isLive,
    requestId: job.requestId,
    correlationId: job.correlationId,
    traceParent: job.traceParent,
    channelsTried: [],
    version: job.version,
    createdAt: job.at,
    updatedAt: job.at,
  };
}
