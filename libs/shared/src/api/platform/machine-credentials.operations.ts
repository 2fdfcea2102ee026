import { defineOperation } from '../../contract/operation';
import { NoInput } from './messaging.dto';
import {
  CreatedMachineCredentialView,
  CreateMachineCredentialDto,
  MachineCredentialIdParams,
  MachineCredentialListView,
  MachineCredentialView,
} from './machine-credentials.dto';

const HOW =
  'A machine identity is an API key of this tenant for VaNi (the AI agent) or an integration. Its calls carry actor type ' +
  '`vani` (performer VaNi, source vani in every audit and status history) or `system` (the integration’s name, source system), ' +
  'and exactly the roles it was given (agent, technician, viewer; never admin). The key is shown once, at creation; only a ' +
  'hash is stored. A revoked key is refused (401) at once on the gateway that revoked it and within 30 seconds on the others.';

export const createMachineCredential = defineOperation({
  name: 'createMachineCredential',
  handler: 'gateway',
  tag: 'machine identities',
  summary: 'Create an API key for VaNi or an integration',
  description: `${HOW} The answer is the only one that contains \`apiKey\`; it is not replayed by Idempotency-Key either (this route takes none).`,
  input: CreateMachineCredentialDto,
  output: CreatedMachineCredentialView,
  roles: ['admin'],
  errors: [],
  http: { method: 'POST', path: '/machine-credentials', status: 201 },
});

export const listMachineCredentials = defineOperation({
  name: 'listMachineCredentials',
  handler: 'gateway',
  tag: 'machine identities',
  summary: 'The tenant’s machine identities',
  description: `${HOW} Listed with their key prefix, never the key.`,
  input: NoInput,
  output: MachineCredentialListView,
  roles: ['admin'],
  errors: [],
  http: { method: 'GET', path: '/machine-credentials' },
});

export const revokeMachineCredential = defineOperation({
  name: 'revokeMachineCredential',
  handler: 'gateway',
  tag: 'machine identities',
  summary: 'Revoke a machine identity’s key',
  description: `${HOW} Revoking twice answers the credential as it is; another tenant’s id is 404.`,
  input: MachineCredentialIdParams,
  output: MachineCredentialView,
  roles: ['admin'],
  errors: [],
  http: { method: 'POST', path: '/machine-credentials/{id}/revoke' },
});

export const MACHINE_CREDENTIAL_OPERATIONS = [createMachineCredential, listMachineCredentials, revokeMachineCredential];
