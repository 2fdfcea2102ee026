import { defineOperation } from '../../contract/operation';
import { PageOf } from '../../contract/page';
import { ErrorCode } from '../../errors/domain-error';
import { OPERATORS, TENANT_ROLES } from '../roles';
import { ContractIdParams } from './common.dto';
import {
  ApproveContractDto,
  CancelContractDto,
  CreateContractDto,
  CreateOnDemandEventDto,
  ListContractsQuery,
  RejectContractDto,
  RequestContractChangesDto,
  UpdateContractDto,
} from './contracts.dto';
import { CancelledContractView, ContractDetailView, ContractSparePartsView, ContractView } from './contracts.views';
import { ContractEventView } from './contract-events.views';

const PLANNING =
  'How promises become events: a service with `quantity` alone is spread evenly over the period (the first on the start date); ' +
  'with `every` alone, one visit per period from the start date to the end date; with both, exactly `quantity` visits at that ' +
  'cadence from the start date (12 monthly visits: `{ quantity: 12, every: { unit: month, interval: 1 } }`), refused with a ' +
  'message saying how many fit when the last would fall after the end date; with `rrule` alone, as the rule says inside the ' +
  'period. A limited spare part is spread like a quantity; an unlimited one gets no event up front. Billing: prepaid is one ' +
  'event on the start date, emi `installments` events every `every` (default monthly), schedule one per milestone; the ' +
  'amounts sum exactly to `total`. A contract may have at most 5000 events.';

export const createContract = defineOperation({
  name: 'createContract',
  handler: 'events',
  tag: 'contracts',
  summary: 'Draft a contract or booking with its promises',
  description:
    'Creates a draft with its promises (services, spare parts, billing). The promises are planned at once, so promises that ' +
    'cannot be delivered are refused now (400 naming the field) rather than at activation. ' +
    `${PLANNING} The contract number is unique in the tenant (409 CONFLICT). A draft is then activated directly or submitted for review.`,
  input: CreateContractDto,
  output: ContractView,
  roles: OPERATORS,
  errors: [ErrorCode.CONFLICT],
  http: { method: 'POST', path: '/contracts', status: 201, idempotent: true },
});

export const listContracts = defineOperation({
  name: 'listContracts',
  handler: 'events',
  tag: 'contracts',
  summary: 'Contracts, newest first',
  description:
    'Filter by `status`; `q` searches the contract number, the title and the customer name (case-insensitive, anywhere in ' +
    'the text). Keyset pagination: pass `nextCursor` back as `cursor`; a cursor this list did not give out answers 400 INVALID_CURSOR.',
  input: ListContractsQuery,
  output: PageOf(ContractView),
  roles: TENANT_ROLES,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/contracts' },
});

export const getContract = defineOperation({
  name: 'getContract',
  handler: 'events',
  tag: 'contracts',
  summary: 'One contract with its event counts by type and status',
  description: 'The contract as stored, its review trail, and per event type how many events it has in each status.',
  input: ContractIdParams,
  output: ContractDetailView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/contracts/{id}' },
});

export const updateContract = defineOperation({
  name: 'updateContract',
  handler: 'events',
  tag: 'contracts',
  summary: 'Edit a contract or booking',
  description:
    'Changes the fields given, at the `version` read (a stale one answers 409 VERSION_CONFLICT with the current version). ' +
    'Before activation anything may change; the promises (services, spare parts, billing, dates, timezone) are planned again and ' +
    'refused if they cannot be delivered. Once active only the title, the customer and the account manager may change (422 ' +
    'BUSINESS_RULE otherwise): the events exist already. Changing promises while under review sets `needsReapproval`. A ' +
    'cancelled, completed or expired contract cannot be edited.',
  input: UpdateContractDto,
  output: ContractView,
  roles: OPERATORS,
  errors: [ErrorCode.VERSION_CONFLICT, ErrorCode.BUSINESS_RULE],
  http: { method: 'PATCH', path: '/contracts/{id}' },
});

const SUBMIT_RULES =
  'Moves a draft, a booking sent back for changes, or one rejected with `allowResubmission`, to pending_review and announces ' +
  'the planned event dates (BOOKING_SUBMITTED). Submitting one already under review changes nothing. A booking rejected without ' +
  'resubmission, or an active, cancelled or closed contract, answers 422 BUSINESS_RULE.';

export const submitContract = defineOperation({
  name: 'submitContract',
  handler: 'events',
  tag: 'contracts',
  summary: 'Submit a booking for review',
  description: SUBMIT_RULES,
  input: ContractIdParams,
  output: ContractView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/contracts/{id}/submit' },
});

export const resubmitContract = defineOperation({
  name: 'resubmitContract',
  handler: 'events',
  tag: 'contracts',
  summary: 'Resubmit a booking after changes were requested',
  description: `The same as submit, named for the second round. ${SUBMIT_RULES}`,
  input: ContractIdParams,
  output: ContractView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/contracts/{id}/resubmit' },
});

export const approveContract = defineOperation({
  name: 'approveContract',
  handler: 'events',
  tag: 'contracts',
  summary: 'Approve a booking under review: it activates',
  description:
    'Approval activates the booking in the same transaction: its events are created with their TaskIDs (see activate). ' +
    'Approving an approved, active booking answers it unchanged, so a retry is safe. Only a pending_review booking can be ' +
    'approved (422 BUSINESS_RULE otherwise).',
  input: ApproveContractDto,
  output: ContractView,
  roles: ['admin'],
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/contracts/{id}/approve', idempotent: true },
});

export const rejectContract = defineOperation({
  name: 'rejectContract',
  handler: 'events',
  tag: 'contracts',
  summary: 'Reject a booking under review',
  description:
    'Needs a reason. With `allowResubmission: true` the author may edit and resubmit; with false the booking stays rejected. ' +
    'Only a pending_review booking can be rejected (422 BUSINESS_RULE).',
  input: RejectContractDto,
  output: ContractView,
  roles: ['admin'],
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/contracts/{id}/reject' },
});

export const requestContractChanges = defineOperation({
  name: 'requestContractChanges',
  handler: 'events',
  tag: 'contracts',
  summary: 'Send a booking under review back with requested changes',
  description:
    'Each change names a field, why, and optionally a suggested value; the booking goes to changes_requested and its author ' +
    'edits and resubmits. Only a pending_review booking (422 BUSINESS_RULE).',
  input: RequestContractChangesDto,
  output: ContractView,
  roles: ['admin'],
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/contracts/{id}/request-changes' },
});

export const cancelContract = defineOperation({
  name: 'cancelContract',
  handler: 'events',
  tag: 'contracts',
  summary: 'Cancel a booking or contract with its open events',
  description:
    'Needs a reason. Every event not in a terminal status is cancelled with it, whatever its flow’s transitions say, audited ' +
    'and listed in `affectedEventIds`; events already done or paid are left as they are. Cancelling a cancelled contract ' +
    'changes nothing (`affectedEventIds` is empty). A completed or expired contract cannot be cancelled (422 BUSINESS_RULE).',
  input: CancelContractDto,
  output: CancelledContractView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/contracts/{id}/cancel' },
});

export const activateContract = defineOperation({
  name: 'activateContract',
  handler: 'events',
  tag: 'contracts',
  summary: 'Activate a draft directly: its events are created',
  description:
    'For contracts that need no review. Activation materialises every planned event in one transaction, each with the ' +
    'tenant’s next TaskID (gap-free, in date order), in the initial status of its type’s flow, and announces them. ' +
    `${PLANNING} Idempotent: activating an active contract answers it unchanged and creates nothing, and concurrent ` +
    'activations create the events once. A booking under review is activated by approving it (422 BUSINESS_RULE here). ' +
    'The body, if any, must be empty.',
  input: ContractIdParams,
  output: ContractView,
  roles: ['admin'],
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/contracts/{id}/activate', idempotent: true },
});

export const getContractSpareParts = defineOperation({
  name: 'getContractSpareParts',
  handler: 'events',
  tag: 'contracts',
  summary: 'Spare-part balance per promised part',
  description:
    'Computed from the contract’s spare-part events: scheduled (not cancelled), completed (in a done status), what remains to ' +
    'deliver and what may still be requested on demand. Unlimited parts have no promised, remaining or available quantity.',
  input: ContractIdParams,
  output: ContractSparePartsView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/contracts/{id}/spare-parts' },
});

export const createOnDemandEvent = defineOperation({
  name: 'createOnDemandEvent',
  handler: 'events',
  tag: 'contracts',
  summary: 'Request an event on demand: a spare part or an ad-hoc service visit',
  description:
    'Only on an active contract. A spare part must be promised by the contract: an unlimited one any number of times, a ' +
    'limited one up to its `availableQty` (422 BUSINESS_RULE beyond, saying how many remain). `partId` is required for a ' +
    'spare part. The event gets the next TaskID and starts in the initial status of its flow.',
  input: CreateOnDemandEventDto,
  output: ContractEventView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/contracts/{id}/events', status: 201, idempotent: true },
});

export const CONTRACTS_OPERATIONS = [
  createContract,
  listContracts,
  getContract,
  updateContract,
  submitContract,
  resubmitContract,
  approveContract,
  rejectContract,
  requestContractChanges,
  cancelContract,
  activateContract,
  getContractSpareParts,
  createOnDemandEvent,
];
