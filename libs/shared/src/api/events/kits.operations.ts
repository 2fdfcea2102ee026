import { defineOperation } from '../../contract/operation';
import { PageOf } from '../../contract/page';
import { ErrorCode } from '../../errors/domain-error';
import { FIELD_ROLES, OPERATORS, TENANT_ROLES } from '../roles';
import {
  AssignKitDto,
  CheckOutKitDto,
  CreateKitDto,
  CreateKitTemplateDto,
  KitHistoryQuery,
  KitParams,
  KitTemplateParams,
  ListKitsQuery,
  ListKitTemplatesQuery,
  PrepareKitDto,
  ReportKitIssueDto,
  ReturnKitDto,
  UpdateKitDto,
  UpdateKitTemplateDto,
} from './kits.dto';
import { KitAssignmentView, KitHistoryEntryView, KitIssueView, KitTemplateView, KitView } from './kits.views';

// ---- templates ----

export const createKitTemplate = defineOperation({
  name: 'createKitTemplate',
  handler: 'events',
  tag: 'kits',
  summary: 'Create a kit template: its components and their quantities',
  description: 'Component names are unique within a template (400 naming the field). Send an Idempotency-Key to retry safely.',
  input: CreateKitTemplateDto,
  output: KitTemplateView,
  roles: OPERATORS,
  errors: [],
  http: { method: 'POST', path: '/kit-templates', status: 201, idempotent: true },
});

export const listKitTemplates = defineOperation({
  name: 'listKitTemplates',
  handler: 'events',
  tag: 'kits',
  summary: 'The tenant’s kit templates, oldest first (deleted ones left out)',
  description: 'Keyset pagination; a cursor this list did not give out answers 400 INVALID_CURSOR.',
  input: ListKitTemplatesQuery,
  output: PageOf(KitTemplateView),
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/kit-templates' },
});

export const getKitTemplate = defineOperation({
  name: 'getKitTemplate',
  handler: 'events',
  tag: 'kits',
  summary: 'One kit template',
  description: 'Deleted templates are still answered (`archived: true`): kits made from them name them.',
  input: KitTemplateParams,
  output: KitTemplateView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/kit-templates/{id}' },
});

export const updateKitTemplate = defineOperation({
  name: 'updateKitTemplate',
  handler: 'events',
  tag: 'kits',
  summary: 'Edit a kit template',
  description:
    'At the `version` read (409 VERSION_CONFLICT when stale). `components` is the full new list; kits already made keep theirs. ' +
    'A deleted template cannot be edited (422).',
  input: UpdateKitTemplateDto,
  output: KitTemplateView,
  roles: OPERATORS,
  errors: [ErrorCode.VERSION_CONFLICT, ErrorCode.BUSINESS_RULE],
  http: { method: 'PATCH', path: '/kit-templates/{id}' },
});

export const deleteKitTemplate = defineOperation({
  name: 'deleteKitTemplate',
  handler: 'events',
  tag: 'kits',
  summary: 'Delete a kit template',
  description: 'Archives it: no new kits are made from it, kits made before keep working and keep naming it. Deleting it again changes nothing.',
  input: KitTemplateParams,
  output: KitTemplateView,
  roles: OPERATORS,
  errors: [],
  http: { method: 'DELETE', path: '/kit-templates/{id}' },
});

// ---- instances ----

export const createKit = defineOperation({
  name: 'createKit',
  handler: 'events',
  tag: 'kits',
  summary: 'Register a physical kit made from a template',
  description:
    'The kit copies the template’s components, each in the kit’s condition (default good); a template the tenant does not have ' +
    'answers 404 naming it. The label is unique in the tenant ' +
    '(409 CONFLICT). A deleted template makes no new kits (422). Send an Idempotency-Key to retry safely.',
  input: CreateKitDto,
  output: KitView,
  roles: OPERATORS,
  errors: [ErrorCode.NOT_FOUND, ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/kits', status: 201, idempotent: true },
});

export const listKits = defineOperation({
  name: 'listKits',
  handler: 'events',
  tag: 'kits',
  summary: 'The tenant’s kits, oldest first',
  description: 'Filters: template and status. Keyset pagination; a cursor this list did not give out answers 400 INVALID_CURSOR.',
  input: ListKitsQuery,
  output: PageOf(KitView),
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/kits' },
});

export const getKit = defineOperation({
  name: 'getKit',
  handler: 'events',
  tag: 'kits',
  summary: 'One kit with its components and its open (or last) assignment',
  description: 'The condition of each component is the one recorded last (created, prepared, returned or repaired).',
  input: KitParams,
  output: KitView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/kits/{id}' },
});

export const updateKit = defineOperation({
  name: 'updateKit',
  handler: 'events',
  tag: 'kits',
  summary: 'Relabel a kit or record its repair',
  description:
    'At the `version` read (409 when stale). A new `condition` (after a repair or restock) applies to every component and clears ' +
    'missing ones; a kit out of service becomes available. Not while it is assigned or out (422).',
  input: UpdateKitDto,
  output: KitView,
  roles: OPERATORS,
  errors: [ErrorCode.VERSION_CONFLICT, ErrorCode.CONFLICT, ErrorCode.BUSINESS_RULE],
  http: { method: 'PATCH', path: '/kits/{id}' },
});

export const listKitHistory = defineOperation({
  name: 'listKitHistory',
  handler: 'events',
  tag: 'kits',
  summary: 'Everything that happened to a kit, oldest first',
  description:
    'One entry per action (created, updated, assigned, prepared, checked_out, returned, issue_reported) with the status before ' +
    'and after, the condition, who and when. Keyset pagination; a cursor this list did not give out answers 400 INVALID_CURSOR.',
  input: KitHistoryQuery,
  output: PageOf(KitHistoryEntryView),
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/kits/{id}/history' },
});

// ---- use ----

export const assignKitToActivity = defineOperation({
  name: 'assignKitToActivity',
  handler: 'events',
  tag: 'kits',
  summary: 'Assign a kit to an activity',
  description:
    'The kit must be available: one assigned elsewhere or out answers 409 CONFLICT saying where it is, one out of service 422. ' +
    'Assigning it again to the same activity answers the same assignment. A completed activity takes no kits (422). Announces ' +
    'KIT_ASSIGNED_TO_ACTIVITY. Send an Idempotency-Key to retry safely.',
  input: AssignKitDto,
  output: KitAssignmentView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/events/{id}/activities/{activityId}/kits', status: 201, idempotent: true },
});

export const prepareKit = defineOperation({
  name: 'prepareKit',
  handler: 'events',
  tag: 'kits',
  summary: 'Record that an assigned kit was prepared, with the condition of its components',
  description:
    'Only a kit assigned to an activity (422 otherwise); preparing it again before check-out records the new conditions. A ' +
    'component id the kit lacks answers 400 naming it. Announces KIT_PREPARED.',
  input: PrepareKitDto,
  output: KitView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/kits/{id}/prepare', idempotent: true },
});

export const checkOutKit = defineOperation({
  name: 'checkOutKit',
  handler: 'events',
  tag: 'kits',
  summary: 'Check a prepared kit out to a person',
  description:
    'Only a prepared kit (422: prepare it first). A kit that is already out answers 409 CONFLICT saying to whom and since ' +
    'when: a check-out happens once per assignment. Announces KIT_CHECKED_OUT.',
  input: CheckOutKitDto,
  output: KitView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/kits/{id}/check-out', idempotent: true },
});

export const returnKit = defineOperation({
  name: 'returnKit',
  handler: 'events',
  tag: 'kits',
  summary: 'Take a checked-out kit back, with the condition of each component',
  description:
    'Only a kit that is out (422 otherwise; returning it again answers it as it is). Missing and damaged components are ' +
    'recorded on the kit and in KIT_RETURNED; a kit returned damaged or incomplete is out of service until repaired (PATCH ' +
    '/kits/{id}), otherwise available again. A component id the kit lacks answers 400 naming it.',
  input: ReturnKitDto,
  output: KitView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/kits/{id}/return', idempotent: true },
});

export const reportKitIssue = defineOperation({
  name: 'reportKitIssue',
  handler: 'events',
  tag: 'kits',
  summary: 'Report an issue with a kit',
  description:
    'Recorded in the kit’s history against its open (or last) assignment and announced as KIT_ISSUE_REPORTED; a kit never ' +
    'assigned has no activity to report against (422). Each call is a new issue: send an Idempotency-Key to retry safely.',
  input: ReportKitIssueDto,
  output: KitIssueView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/kits/{id}/issues', status: 201, idempotent: true },
});

export const KITS_OPERATIONS = [
  createKitTemplate,
  listKitTemplates,
  getKitTemplate,
  updateKitTemplate,
  deleteKitTemplate,
  createKit,
  listKits,
  getKit,
  updateKit,
  listKitHistory,
  assignKitToActivity,
  prepareKit,
  checkOutKit,
  returnKit,
  reportKitIssue,
];
