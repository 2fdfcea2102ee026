import { defineOperation } from '../../contract/operation';
import { PageOf } from '../../contract/page';
import { ErrorCode } from '../../errors/domain-error';
import { OPERATORS, TENANT_ROLES } from '../roles';
import { NoInput } from '../platform/messaging.dto';
import { ContractIdParams } from './common.dto';
import {
  ContractHistoryQuery,
  ContractPaymentsView,
  ContractSettingsView,
  ContractStatusHistoryEntryView,
  RenewContractDto,
  UpdateContractSettingsDto,
} from './contract-lifecycle.dto';
import { ContractView } from './contracts.views';

export const renewContract = defineOperation({
  name: 'renewContract',
  handler: 'events',
  tag: 'contracts',
  summary: 'Draft the renewal of a contract',
  description:
    'Creates a new draft contract linked to this one (`renewedFromId` on the new one, `renewedById` on this one), with the same ' +
    'customer, promises and billing; its period starts the day after this one ends and lasts as long unless `startDate`/`endDate` ' +
    'say otherwise, and dated promises (billing milestones) move by the same number of days. Only an active, completed or ' +
    'expired contract can be renewed, once: asking again answers the renewal already drafted. Publishes CONTRACT_RENEWED. ' +
    'The draft is then submitted or activated like any other. A number already used in the tenant answers 409 CONFLICT.',
  input: RenewContractDto,
  output: ContractView,
  roles: OPERATORS,
  errors: [ErrorCode.CONFLICT, ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/contracts/{id}/renew', status: 201, idempotent: true },
});

export const listContractHistory = defineOperation({
  name: 'listContractHistory',
  handler: 'events',
  tag: 'contracts',
  summary: 'Status history of a contract',
  description:
    'Every status change of the contract, oldest first: from, to, who (a user, VaNi or System: the scheduler completes or ' +
    'expires contracts at their end date), source, reason and the time spent in the previous status. Each change was also ' +
    'published as CONTRACT_STATUS_CHANGED.',
  input: ContractHistoryQuery,
  output: PageOf(ContractStatusHistoryEntryView),
  roles: TENANT_ROLES,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/contracts/{id}/history' },
});

export const listContractPayments = defineOperation({
  name: 'listContractPayments',
  handler: 'events',
  tag: 'contracts',
  summary: 'Payments received on a contract',
  description:
    'Every payment recorded against the contract’s billing events (POST /events/{id}/payments), oldest first, with what was ' +
    'billed, paid and is still outstanding (exact decimal sums).',
  input: ContractIdParams,
  output: ContractPaymentsView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/contracts/{id}/payments' },
});

export const getContractSettings = defineOperation({
  name: 'getContractSettings',
  handler: 'events',
  tag: 'settings',
  summary: 'The tenant’s contract settings',
  description: 'How many days before a contract’s end date CONTRACT_RENEWAL_UPCOMING is sent (default 30).',
  input: NoInput,
  output: ContractSettingsView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/settings/contracts' },
});

export const updateContractSettings = defineOperation({
  name: 'updateContractSettings',
  handler: 'events',
  tag: 'settings',
  summary: 'Change the tenant’s contract settings',
  description:
    'Sets the renewal notice (0–365 days). Contracts already announced are not announced again; contracts that now fall inside ' +
    'the notice are announced on the scheduler’s next run.',
  input: UpdateContractSettingsDto,
  output: ContractSettingsView,
  roles: ['admin'],
  errors: [],
  http: { method: 'PUT', path: '/settings/contracts' },
});

export const CONTRACT_LIFECYCLE_OPERATIONS = [renewContract, listContractHistory, listContractPayments, getContractSettings, updateContractSettings];
