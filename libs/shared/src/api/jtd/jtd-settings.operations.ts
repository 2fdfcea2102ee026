import { defineOperation } from '../../contract/operation';
import { PageOf } from '../../contract/page';
import { ErrorCode } from '../../errors/domain-error';
import { NoInput } from '../platform/messaging.dto';
import {
  JtdChannelFallbackView,
  JtdSettingsView,
  JtdSourceSettingsView,
  JtdSourceTypeRef,
  ReplaceJtdChannelFallbackDto,
  UpdateJtdSettingsDto,
  UpdateJtdSourceSettingsDto,
  WebhookSecretView,
} from './jtd-settings.dto';
import { CreateJtdTemplateDto, JtdTemplateRef, JtdTemplateView, ListJtdTemplatesQuery, UpdateJtdTemplateDto } from './jtd-templates.dto';

const TEMPLATE_READERS = ['admin', 'agent', 'viewer'] as const;

export const getJtdSettings = defineOperation({
  name: 'getJtdSettings',
  handler: 'jtd-dispatcher',
  tag: 'settings',
  summary: 'The tenant’s delivery settings',
  description:
    'Channels, VaNi, daily and monthly limits, quiet hours, timezone, test mode. A tenant gets the defaults when it is ' +
    'registered (email and in-app on, no limits, no quiet hours, live, its own timezone). The webhook secret is never ' +
    'part of it.',
  input: NoInput,
  output: JtdSettingsView,
  roles: ['admin'],
  errors: [],
  http: { method: 'GET', path: '/settings/jtd' },
});

export const updateJtdSettings = defineOperation({
  name: 'updateJtdSettings',
  handler: 'jtd-dispatcher',
  tag: 'settings',
  summary: 'Change the tenant’s delivery settings',
  description:
    'Only the fields sent change; `channelsEnabled` is merged into the current switches. Send the `version` you read ' +
    'to be sure not to overwrite another admin’s change (409 when stale). Changes apply to the jobs the dispatcher ' +
    'picks up next, within seconds on every replica: switching a channel off makes new requests skip it, quiet hours ' +
    'and limits defer jobs already waiting, `isLive: false` puts the tenant in test mode. `providerProfile` names a provider ' +
    'account the deployment bound to this tenant (JTD_TENANT_PROVIDERS); any other name answers 422 (null: the default ' +
    'account). Should the deployment withdraw the binding later, the tenant’s jobs fail with PROVIDER_PROFILE_NOT_ALLOWED ' +
    'instead of going out through the account.',
  input: UpdateJtdSettingsDto,
  output: JtdSettingsView,
  roles: ['admin'],
  errors: [ErrorCode.VERSION_CONFLICT, ErrorCode.BUSINESS_RULE],
  http: { method: 'PUT', path: '/settings/jtd' },
});

export const rotateWebhookSecret = defineOperation({
  name: 'rotateWebhookSecret',
  handler: 'jtd-dispatcher',
  tag: 'settings',
  summary: 'Issue a new MSG91 webhook secret',
  description:
    'MSG91 cannot sign its delivery reports, so the webhook URL carries the tenant and its secret. The new secret is ' +
    'answered here only, once, with the paths to configure in MSG91: only its SHA-256 is stored, so it cannot be shown ' +
    'again (rotate again if it is lost). A tenant has no secret until one is issued here. The previous one stops working ' +
    'at once (no grace period: a rotation usually answers a leak), so reports MSG91 posts to the old URL answer 401 and ' +
    'leave their jobs at `sent` until the dashboard is updated.',
  input: NoInput,
  output: WebhookSecretView,
  roles: ['admin'],
  errors: [],
  http: { method: 'POST', path: '/settings/jtd/webhook-secret' },
});

export const getJtdSourceSettings = defineOperation({
  name: 'getJtdSourceSettings',
  handler: 'jtd-dispatcher',
  tag: 'settings',
  summary: 'The tenant’s override for one source type',
  description: 'The defaults (`version: 0`) while the tenant has not changed them. An unknown source type answers 404.',
  input: JtdSourceTypeRef,
  output: JtdSourceSettingsView,
  roles: ['admin'],
  errors: [],
  http: { method: 'GET', path: '/settings/jtd/sources/{sourceType}' },
});

export const updateJtdSourceSettings = defineOperation({
  name: 'updateJtdSourceSettings',
  handler: 'jtd-dispatcher',
  tag: 'settings',
  summary: 'Override one source type: channels, enabled, auto-execute, priority, delay',
  description:
    'Only the fields sent change. `channelsEnabled` replaces the source type’s default channels for requests that name ' +
    'none (still only those the tenant enabled); `isEnabled: false` makes every request of the source create nothing.',
  input: UpdateJtdSourceSettingsDto,
  output: JtdSourceSettingsView,
  roles: ['admin'],
  errors: [],
  http: { method: 'PUT', path: '/settings/jtd/sources/{sourceType}' },
});

export const getJtdChannelFallback = defineOperation({
  name: 'getJtdChannelFallback',
  handler: 'jtd-dispatcher',
  tag: 'settings',
  summary: 'The tenant’s channel fallback',
  description:
    'Where a job continues when its channel fails for good: a permanent refusal (an invalid number, a rejected template), or ' +
    'every provider of the channel failing or unavailable (circuit open, throttled) past the event type’s retries. The job ' +
    'goes on to the next channel with the recipient’s address and the template for that channel, with a retry budget of its ' +
    'own; a channel the recipient has no address for (or without a template, or switched off since) is passed over, and the ' +
    'job’s history says so. A job never returns to a channel it left. No routes: a failed job stays failed.',
  input: NoInput,
  output: JtdChannelFallbackView,
  roles: ['admin'],
  errors: [],
  http: { method: 'GET', path: '/settings/jtd/channel-fallback' },
});

export const replaceJtdChannelFallback = defineOperation({
  name: 'replaceJtdChannelFallback',
  handler: 'jtd-dispatcher',
  tag: 'settings',
  summary: 'Replace the tenant’s channel fallback',
  description:
    'The routes replace the current ones (`[]`: no fallback). Refused with 400 naming the route: two routes from one channel, a ' +
    'channel falling back to itself, a channel the tenant has not enabled, a cycle. Applies to jobs that fail from now on, on ' +
    'every replica within seconds.',
  input: ReplaceJtdChannelFallbackDto,
  output: JtdChannelFallbackView,
  roles: ['admin'],
  errors: [ErrorCode.VERSION_CONFLICT],
  http: { method: 'PUT', path: '/settings/jtd/channel-fallback' },
});

export const listJtdTemplates = defineOperation({
  name: 'listJtdTemplates',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'Templates: the tenant’s and the system ones',
  description:
    'Sorted by key and channel, the tenant’s template before the system one it overrides. A job uses the tenant’s ' +
    'active template of the key (or source type) and channel when there is one, else the system template.',
  input: ListJtdTemplatesQuery,
  output: PageOf(JtdTemplateView),
  roles: TEMPLATE_READERS,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/jtd/templates' },
});

export const getJtdTemplate = defineOperation({
  name: 'getJtdTemplate',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'One template',
  description: 'A tenant template of this tenant, or a system template.',
  input: JtdTemplateRef,
  output: JtdTemplateView,
  roles: TEMPLATE_READERS,
  errors: [],
  http: { method: 'GET', path: '/jtd/templates/{id}' },
});

export const createJtdTemplate = defineOperation({
  name: 'createJtdTemplate',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'Create a tenant template',
  description:
    'Every `{{placeholder}}` of the subject and content must be declared in `variables` (400 naming the missing ones). ' +
    'SMS and WhatsApp templates need the provider’s approved template id. A template with the key and channel of a ' +
    'system template overrides it for this tenant; a second tenant template with the same key and channel is 409.',
  input: CreateJtdTemplateDto,
  output: JtdTemplateView,
  roles: ['admin'],
  errors: [ErrorCode.CONFLICT],
  http: { method: 'POST', path: '/jtd/templates', status: 201, idempotent: true },
});

export const updateJtdTemplate = defineOperation({
  name: 'updateJtdTemplate',
  handler: 'jtd-dispatcher',
  tag: 'jobs',
  summary: 'Change a tenant template',
  description:
    'Name the `version` you read (409 when stale). System templates are read-only (422): create a tenant template with ' +
    'the same key instead. A job is rendered when it is sent: jobs still waiting use the new text.',
  input: UpdateJtdTemplateDto,
  output: JtdTemplateView,
  roles: ['admin'],
  errors: [ErrorCode.VERSION_CONFLICT, ErrorCode.BUSINESS_RULE],
  http: { method: 'PUT', path: '/jtd/templates/{id}' },
});

export const JTD_SETTINGS_OPERATIONS = [
  getJtdSettings,
  updateJtdSettings,
  rotateWebhookSecret,
  getJtdSourceSettings,
  updateJtdSourceSettings,
  getJtdChannelFallback,
  replaceJtdChannelFallback,
];
export const JTD_TEMPLATE_OPERATIONS = [listJtdTemplates, getJtdTemplate, createJtdTemplate, updateJtdTemplate];
