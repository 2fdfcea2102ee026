import { defineOperation } from '../../contract/operation';
import { PageOf } from '../../contract/page';
import { ErrorCode } from '../../errors/domain-error';
import { FIELD_ROLES, OPERATORS, TENANT_ROLES } from '../roles';
import {
  ActivityParams,
  AssignActivityDto,
  CompleteActivityDto,
  CreateActivityDto,
  ListActivitiesQuery,
  ReportActivityIssueDto,
  StartActivityDto,
} from './activities.dto';
import { ActivityIssueView, ActivityView } from './activities.views';

const VERSION_RULE = 'An optional `version` (the activity’s) answers 409 VERSION_CONFLICT when someone changed it meanwhile.';

export const createActivity = defineOperation({
  name: 'createActivity',
  handler: 'events',
  tag: 'activities',
  summary: 'Add an activity to a contract event',
  description:
    'An activity is a sub-task of the event that is carried out by someone: it appears among the event’s `tasks` too, and a ' +
    '`required` one gates the moves the flow gates on sub-tasks until it is completed. `requiredKitTemplateIds` must be the ' +
    'tenant’s kit templates (404 naming the id). Announces ACTIVITY_CREATED and EVENT_TASK_CREATED. Send an Idempotency-Key to retry safely.',
  input: CreateActivityDto,
  output: ActivityView,
  roles: OPERATORS,
  errors: [],
  http: { method: 'POST', path: '/events/{id}/activities', status: 201, idempotent: true },
});

export const listActivities = defineOperation({
  name: 'listActivities',
  handler: 'events',
  tag: 'activities',
  summary: 'The activities of a contract event, oldest first',
  description:
    'Keyset pagination; a cursor this list did not give out answers 400 INVALID_CURSOR. Plain sub-tasks are not listed (GET /events/{id} has them all).',
  input: ListActivitiesQuery,
  output: PageOf(ActivityView),
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/events/{id}/activities' },
});

export const getActivity = defineOperation({
  name: 'getActivity',
  handler: 'events',
  tag: 'activities',
  summary: 'One activity with its assignee, outcomes, issues and kits in use',
  description: 'A plain sub-task (created through /tasks) is not an activity: 404.',
  input: ActivityParams,
  output: ActivityView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/events/{id}/activities/{activityId}' },
});

export const assignActivity = defineOperation({
  name: 'assignActivity',
  handler: 'events',
  tag: 'activities',
  summary: 'Assign the person who carries out an activity',
  description:
    'Assigns (or, before it starts, reassigns) the activity; each assignment gets a new `assignmentId` and announces ' +
    'ACTIVITY_ASSIGNED. Assigning the same person in the same role with the same instructions again changes nothing. Once ' +
    'started or completed it cannot be reassigned (422 BUSINESS_RULE). ' +
    VERSION_RULE,
  input: AssignActivityDto,
  output: ActivityView,
  roles: OPERATORS,
  errors: [ErrorCode.VERSION_CONFLICT, ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/events/{id}/activities/{activityId}/assign', idempotent: true },
});

export const startActivity = defineOperation({
  name: 'startActivity',
  handler: 'events',
  tag: 'activities',
  summary: 'Start an assigned activity',
  description:
    'Only an assigned activity starts (422 BUSINESS_RULE: assign it first); a technician may start only the activities ' +
    'assigned to them (403), admins and agents any. Starting a started activity answers it as it is (no second ' +
    'ACTIVITY_STARTED); a completed one is 422. Announces ACTIVITY_STARTED with the kits assigned to it. ' +
    VERSION_RULE,
  input: StartActivityDto,
  output: ActivityView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.VERSION_CONFLICT, ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/events/{id}/activities/{activityId}/start', idempotent: true },
});

export const completeActivity = defineOperation({
  name: 'completeActivity',
  handler: 'events',
  tag: 'activities',
  summary: 'Complete a started activity with its outcomes',
  description:
    'Only a started activity completes (422 BUSINESS_RULE otherwise); a technician only the ones assigned to them (403). ' +
    'Completing ticks the sub-task off (a required one no longer gates the event) and announces ACTIVITY_COMPLETED and ' +
    'EVENT_TASK_COMPLETED. Completing it again answers it as it is, with the first outcomes and no second announcement. ' +
    VERSION_RULE,
  input: CompleteActivityDto,
  output: ActivityView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.VERSION_CONFLICT, ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/events/{id}/activities/{activityId}/complete', idempotent: true },
});

export const reportActivityIssue = defineOperation({
  name: 'reportActivityIssue',
  handler: 'events',
  tag: 'activities',
  summary: 'Report an issue on an activity',
  description:
    'Recorded on the activity (at most 100 issues; 422 beyond) and announced as ACTIVITY_ISSUE_REPORTED. A technician may ' +
    'report only on the activities assigned to them (403). Each call is a new issue: send an Idempotency-Key to retry safely.',
  input: ReportActivityIssueDto,
  output: ActivityIssueView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/events/{id}/activities/{activityId}/issues', status: 201, idempotent: true },
});

export const ACTIVITIES_OPERATIONS = [createActivity, listActivities, getActivity, assignActivity, startActivity, completeActivity, reportActivityIssue];
