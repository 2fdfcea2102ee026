import { defineOperation, Operation } from '../../contract/operation';
import { PageOf } from '../../contract/page';
import { ErrorCode } from '../../errors/domain-error';
import { TENANT_ROLES } from '../roles';
import { InboxItemRef, InboxItemView, ListInboxQuery } from './inbox.dto';
import { JOB_LIST_OPERATIONS, JOB_OPERATIONS } from './jobs.operations';
import { JTD_SETTINGS_OPERATIONS, JTD_TEMPLATE_OPERATIONS } from './jtd-settings.operations';
import { MSG91_WEBHOOK_MAX_BYTES, MSG91_WEBHOOK_MAX_REPORTS, Msg91ReportResultView, ReceiveMsg91ReportDto } from './msg91-webhook.dto';

export const listInbox = defineOperation({
  name: 'listInbox',
  handler: 'jtd-dispatcher',
  tag: 'inbox',
  summary: 'The caller’s in-app notifications, newest first',
  description: 'Only the caller’s own: in-app jobs addressed to their user id in this tenant. `unread` filters on whether they were read.',
  input: ListInboxQuery,
  output: PageOf(InboxItemView),
  roles: TENANT_ROLES,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/inbox' },
});

export const markInboxItemRead = defineOperation({
  name: 'markInboxItemRead',
  handler: 'jtd-dispatcher',
  tag: 'inbox',
  summary: 'Mark one of the caller’s notifications read',
  description: 'Harmless to repeat: `readAt` keeps the first time. Another user’s notification answers 404.',
  input: InboxItemRef,
  output: InboxItemView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'POST', path: '/inbox/{id}/read' },
});

export const receiveMsg91Report = defineOperation({
  name: 'receiveMsg91Report',
  handler: 'jtd-dispatcher',
  tag: 'webhooks',
  summary: 'MSG91 delivery reports for sms, email or whatsapp',
  description:
    'Configured in MSG91 as `/v1/webhooks/msg91/{channel}?tenant=<tenant id>&token=<webhook secret>`: MSG91 cannot sign ' +
    'its requests, so the tenant’s secret (POST /settings/jtd/webhook-secret) authenticates them, compared in ' +
    'constant time; a wrong one answers 401. The body is read as MSG91 sends it, JSON or form-encoded. Each report ' +
    'is matched on the provider’s request id and moves the job (delivered, read, failed, bounced) but never ' +
    'backwards; the same report twice is applied once. A report for an unknown request id is accepted and counted ' +
    '`unknown`; one without a request id or with a status that is not tracked is counted `ignored`. An item that is ' +
    'not a report object at all makes the whole body 400, naming the item. A request holds at most ' +
    `${MSG91_WEBHOOK_MAX_REPORTS} reports and ${MSG91_WEBHOOK_MAX_BYTES / 1024} KiB (413 above either); its reports are ` +
    'applied together, in one transaction.',
  input: ReceiveMsg91ReportDto,
  output: Msg91ReportResultView,
  roles: 'public',
  errors: [ErrorCode.PAYLOAD_TOO_LARGE],
  http: {
    method: 'POST',
    path: '/webhooks/msg91/{channel}',
    status: 202,
    query: ['tenant', 'token'],
    bodyField: 'payload',
    auth: { scheme: 'webhookToken', queryParameter: 'token', tenantParameter: 'tenant' },
    maxBodyBytes: MSG91_WEBHOOK_MAX_BYTES,
  },
});

/** The jtd service's operations (see libs/shared/src/contract/operation.ts). */
export const JTD_OPERATIONS: readonly Operation[] = [
  ...JOB_LIST_OPERATIONS,
  ...JTD_TEMPLATE_OPERATIONS,
  ...JOB_OPERATIONS,
  ...JTD_SETTINGS_OPERATIONS,
  listInbox,
  markInboxItemRead,
  receiveMsg91Report,
];
