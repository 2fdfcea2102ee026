import type { JtdRecipient } from '@app/shared/catalog/jtd.catalog';
import { selectList, Sql } from '@app/shared/db/sql';

/** Who a job goes to, as the request named them (channels pick their contact from it). */
export type JobRecipient = Pick<JtdRecipient, 'type' | 'id' | 'name' | 'email' | 'phone' | 'deviceTokens'>;

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
  recipient: JobRecipient;
  templateKey: string | null;
  templateId: string | null;
  variables: Record<string, unknown>;
  businessContext: Record<string, unknown>;
  status: string;
  previousStatus: string | null;
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
  /** numeric(10,4), as text. */
  cost: string;
  performedByType: string;
  performedById: string | null;
  performedByName: string | null;
  isLive: boolean;
  requestId: string | null;
  /** The correlation id and W3C traceparent of the work that asked for the job (null before they were kept). */
  correlationId: string | null;
  traceParent: string | null;
  /** Channels this job left for a fallback channel, in order (it never comes back to one). */
  channelsTried: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const FIELDS = [
  'id',
  'tenantId',
  'eventTypeCode',
  'channelCode',
  'sourceTypeCode',
  'sourceId',
  'recipientType',
  'recipientId',
  'recipientName',
  'recipientContact',
  'recipient',
  'templateKey',
  'templateId',
  'variables',
  'businessContext',
  'status',
  'previousStatus',
  'statusChangedAt',
  'isValidTransition',
  'priority',
  'scheduledAt',
  'nextAttemptAt',
  'attempts',
  'maxRetries',
  'retryDelaySeconds',
  'autoExecute',
  'leaseOwner',
  'leaseUntil',
  'sentAt',
  'lastError',
  'errorCode',
  'providerCode',
  'providerMessageId',
  'cost',
  'performedByType',
  'performedById',
  'performedByName',
  'isLive',
  'requestId',
  'correlationId',
  'traceParent',
  'channelsTried',
  'version',
  'createdAt',
  'updatedAt',
] as const satisfies ReadonlyArray<keyof JobRow>;

/** The select list of a JobRow from `jobs j` (or a CTE named `j`). */
export const JOB_COLUMNS: Sql = selectList('j', FIELDS, { status: 'j.status_code', previousStatus: 'j.previous_status_code' });

/**
 * Columns a status change may set besides the status (the claim's lease, the outcome's provider id…): one
 * field each, with its column and SQL type. JSON columns travel as JSON text.
 */
export interface JobPatch {
  leaseOwner?: string | null;
  leaseUntil?: Date | null;
  nextAttemptAt?: Date | null;
  lastError?: string | null;
  errorCode?: string | null;
  sendStartedAt?: Date;
  attempts?: number;
  recipientContact?: string;
  rendered?: { subject: string | null; body: string };
  providerMessageId?: string;
  providerCode?: string;
  sentAt?: Date;
  cost?: string;
  providerResponse?: unknown;
  completedAt?: Date;
  autoExecute?: boolean;
  /** A channel fallback: the job continues on another channel with that channel's template. */
  channelCode?: string;
  templateId?: string;
  templateKey?: string;
  channelsTried?: string[];
}

export const PATCH_COLUMNS: { readonly [K in keyof JobPatch]-?: readonly [column: string, type: string] } = {
  leaseOwner: ['lease_owner', 'text'],
  leaseUntil: ['lease_until', 'timestamptz'],
  nextAttemptAt: ['next_attempt_at', 'timestamptz'],
  lastError: ['last_error', 'text'],
  errorCode: ['error_code', 'text'],
  sendStartedAt: ['send_started_at', 'timestamptz'],
  attempts: ['attempts', 'int'],
  recipientContact: ['recipient_contact', 'text'],
  rendered: ['rendered', 'jsonb'],
  providerMessageId: ['provider_message_id', 'text'],
  providerCode: ['provider_code', 'text'],
  sentAt: ['sent_at', 'timestamptz'],
  cost: ['cost', 'numeric'],
  providerResponse: ['provider_response', 'jsonb'],
  completedAt: ['completed_at', 'timestamptz'],
  autoExecute: ['auto_execute', 'boolean'],
  channelCode: ['channel_code', 'text'],
  templateId: ['template_id', 'uuid'],
  templateKey: ['template_key', 'text'],
  channelsTried: ['channels_tried', 'jsonb'],
};

/** The fields a patch sets (present and not undefined), in a stable order. */
export function patchFields(patch: JobPatch): Array<keyof JobPatch> {
  return (Object.keys(PATCH_COLUMNS) as Array<keyof JobPatch>).filter((k) => patch[k] !== undefined);
}

/** The row as a patch leaves it (fields the row type does not hold are only written). */
export function withPatch(job: JobRow, patch: JobPatch): JobRow {
  const out = { ...job };
  if (patch.leaseOwner !== undefined) out.leaseOwner = patch.leaseOwner;
  if (patch.leaseUntil !== undefined) out.leaseUntil = patch.leaseUntil;
  if (patch.nextAttemptAt !== undefined) out.nextAttemptAt = patch.nextAttemptAt;
  if (patch.lastError !== undefined) out.lastError = patch.lastError;
  if (patch.errorCode !== undefined) out.errorCode = patch.errorCode;
  if (patch.attempts !== undefined) out.attempts = patch.attempts;
  if (patch.recipientContact !== undefined) out.recipientContact = patch.recipientContact;
  if (patch.providerMessageId !== undefined) out.providerMessageId = patch.providerMessageId;
  if (patch.providerCode !== undefined) out.providerCode = patch.providerCode;
  if (patch.sentAt !== undefined) out.sentAt = patch.sentAt;
  if (patch.cost !== undefined) out.cost = patch.cost;
  if (patch.autoExecute !== undefined) out.autoExecute = patch.autoExecute;
  if (patch.channelCode !== undefined) out.channelCode = patch.channelCode;
  if (patch.templateId !== undefined) out.templateId = patch.templateId;
  if (patch.templateKey !== undefined) out.templateKey = patch.templateKey;
  if (patch.channelsTried !== undefined) out.channelsTried = patch.channelsTried;
  return out;
}
