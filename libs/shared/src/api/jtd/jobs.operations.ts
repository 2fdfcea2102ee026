import { defineOperation } from '../../contract/operation';
import { PageOf } from '../../contract/page';
import { ErrorCode } from '../../errors/domain-error';
import { OPERATORS } from '../roles';
import {
  CancelJobDto,
  CreatedJobsView,
  CreateJobsDto,
  JobDetailView,
  JobHistoryEntryView,
  JobRef,
  JobView,
  ListJobHistoryQuery,
  ListJobsQuery,
  ListSandboxMessagesQuery,
  SandboxMessageView,
  TransitionJobDto,
} from './jobs.dto';

/** Who reads jobs: the people who run the work and those who watch it. */
const JOB_READERS = ['admin', 'agent', 'viewer'] as const;

export const createJobs = defineOperation({
  name: 'createJobs',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'Create jobs to do: one job per channel that can be used',
  description:
    'Resolves the channels: `channel` or `channels` when given, else the source override’s channels, else the source ' +
    'type’s defaults; each is kept only if the event type allows it, the tenant enabled it and a template exists ' +
    '(tenant template first, then the system one). The channels left out are listed in `skipped`; when none is left ' +
    '(or the source is disabled for the tenant) the answer is 422 BUSINESS_RULE and no job exists.\n\n' +
    'A job does not always go at once. It waits (`scheduled`) until `scheduledAt`, or the source’s delay, and until ' +
    'the tenant’s quiet hours end (in the tenant’s timezone); it waits for the next minute when the channel’s ' +
    'provider rate is used up, and is `held` until the next day or month when the tenant’s daily or monthly limit ' +
    'is reached. Action jobs (task, appointment, service_visit) wait in `pending` for a person unless VaNi or the ' +
    'source executes them.\n\n' +
    'A bad contact (INVALID_RECIPIENT) or a template variable missing from `variables` (MISSING_VARIABLE) fails the job ' +
    'when it is about to go; a provider refusal fails it for good, while network errors, 429 and 5xx are retried with ' +
    'backoff up to the event type’s retries (see `errorCode`, `lastError`, `nextAttemptAt`, and the history note of a `held` job). ' +
    '`isLive: false` (or the tenant in test mode) sends nothing: the sandbox keeps the request. The same `sourceId`, ' +
    'channel and template give the existing job back instead of a second one.',
  input: CreateJobsDto,
  output: CreatedJobsView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/jtd', status: 201, idempotent: true },
});

export const listJobs = defineOperation({
  name: 'listJobs',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'Jobs, newest first',
  description: 'Filtered by status, channel, event type, source type and source id (all must match).',
  input: ListJobsQuery,
  output: PageOf(JobView),
  roles: JOB_READERS,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/jtd' },
});

export const listSandboxMessages = defineOperation({
  name: 'listSandboxMessages',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'What test-mode jobs would have sent, newest first',
  description:
    'A job in test mode (`isLive: false`, on the job or the tenant) goes through every gate and ends `sent`, but no ' +
    'provider is called: the HTTP request the provider would have received is kept here, secrets masked.',
  input: ListSandboxMessagesQuery,
  output: PageOf(SandboxMessageView),
  roles: ['admin'],
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/jtd/sandbox' },
});

export const getJob = defineOperation({
  name: 'getJob',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'One job with its provider attempts',
  description: '`attemptLog` lists every call to a provider, with its outcome, HTTP status, provider code and latency.',
  input: JobRef,
  output: JobDetailView,
  roles: JOB_READERS,
  errors: [],
  http: { method: 'GET', path: '/jtd/{id}' },
});

export const listJobHistory = defineOperation({
  name: 'listJobHistory',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'A job’s status history, oldest first',
  description:
    'Every move: from, to, when, the time spent in the previous status, who made it (a user, VaNi, the system or a ' +
    'provider webhook) and whether the job’s flow defines the move (`isValidTransition`).',
  input: ListJobHistoryQuery,
  output: PageOf(JobHistoryEntryView),
  roles: JOB_READERS,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/jtd/{id}/history' },
});

export const transitionJob = defineOperation({
  name: 'transitionJob',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'Move a job to another status',
  description:
    'Soft-enforced: a move the job’s flow (per event type, per tenant) does not define is made anyway and flagged ' +
    '`isValidTransition: false` in the job and its history; a status the flow does not have at all is refused (400). ' +
    'Moving to `queued` or `pending` hands the job to the dispatcher (how a person executes a waiting action job); ' +
    'any other move stops automatic attempts. A job being sent (`executing`) cannot be moved (422).',
  input: TransitionJobDto,
  output: JobView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/jtd/{id}/transitions', idempotent: true },
});

export const retryJob = defineOperation({
  name: 'retryJob',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'Send a failed job again',
  description:
    'Only failed, bounced, expired or held jobs (422 otherwise). The job goes back to `pending` with its attempts reset ' +
    'and its error cleared. A job failed with `UNKNOWN_OUTCOME` (its replica died while sending) may already have ' +
    'reached the recipient: check the provider before retrying it.',
  input: JobRef,
  output: JobView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/jtd/{id}/retry', idempotent: true },
});

export const cancelJob = defineOperation({
  name: 'cancelJob',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'Cancel a job that has not been sent',
  description: 'A job already executing, sent, delivered, read, bounced, completed or cancelled cannot be cancelled (422).',
  input: CancelJobDto,
  output: JobView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/jtd/{id}/cancel', idempotent: true },
});

/** `/jtd/sandbox` and `/jtd/templates` are not job ids: whatever matches paths in order meets them first. */
export const JOB_LIST_OPERATIONS = [createJobs, listJobs, listSandboxMessages];
export const JOB_OPERATIONS = [getJob, listJobHistory, transitionJob, retryJob, cancelJob];
