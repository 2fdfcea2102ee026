import { JobPerformerView, JobView } from '@app/shared/api/jtd/jobs.dto';

/** A job as the dispatcher reads it (camelCase aliases of the `jobs` columns). */
export interface JobRow {
  id: string;
  tenantId: string;
  eventTypeCode: string;
  channelCode: string;
  sourceTypeCode: string;
  sourceId: string | null;
  recipientType: string;
  recipientId: string | null;
  recipientName: string;
  recipientContact: string | null;
  recipient: { type: string; id?: string; name: string; email?: string; phone?: string; deviceTokens?: string[] };
  templateKey: string | null;
  templateId: string | null;
  variables: Record<string, unknown>;
  businessContext: Record<string, unknown>;
  statusCode: string;
  previousStatusCode: string | null;
  statusChangedAt: Date;
  isValidTransition: boolean;
  priority: number;
  scheduledAt: Date | null;
  nextAttemptAt: Date | null;
  attempts: number;
  maxRetries: number;
  retryDelaySeconds: number;
  autoExecute: boolean;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  sentAt: Date | null;
  lastError: string | null;
  errorCode: string | null;
  providerCode: string | null;
  providerMessageId: string | null;
  cost: string;
  performedByType: string;
  performedById: string | null;
  performedByName: string | null;
  isLive: boolean;
  requestId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const JOB_COLUMNS = `id, tenant_id AS "tenantId", event_type_code AS "eventTypeCode", channel_code AS "channelCode",
  source_type_code AS "sourceTypeCode", source_id AS "sourceId", recipient_type AS "recipientType", recipient_id AS "recipientId",
  recipient_name AS "recipientName", recipient_contact AS "recipientContact", recipient, template_key AS "templateKey",
  template_id AS "templateId", variables, business_context AS "businessContext", status_code AS "statusCode",
  previous_status_code AS "previousStatusCode", status_changed_at AS "statusChangedAt", is_valid_transition AS "isValidTransition",
  priority, scheduled_at AS "scheduledAt", next_attempt_at AS "nextAttemptAt", attempts, max_retries AS "maxRetries",
  retry_delay_seconds AS "retryDelaySeconds", auto_execute AS "autoExecute", lease_owner AS "leaseOwner", lease_until AS "leaseUntil",
  sent_at AS "sentAt", last_error AS "lastError", error_code AS "errorCode", provider_code AS "providerCode",
  provider_message_id AS "providerMessageId", cost, performed_by_type AS "performedByType", performed_by_id AS "performedById",
  performed_by_name AS "performedByName", is_live AS "isLive", request_id AS "requestId", version, created_at AS "createdAt", updated_at AS "updatedAt"`;

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
    status: j.statusCode,
    previousStatus: j.previousStatusCode,
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

export function performerView(type: string, id: string | null, name: string | null): JobPerformerView {
  return { type, id, name };
}

export function iso(d: Date | string): string;
export function iso(d: Date | string | null | undefined): string | null;
export function iso(d: Date | string | null | undefined): string | null {
  return d ? new Date(d).toISOString() : null;
}
