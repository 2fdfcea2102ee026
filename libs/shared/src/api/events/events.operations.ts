import { Operation } from '../../contract/operation';
import { ACTIVITIES_OPERATIONS } from './activities.operations';
import { COCKPIT_SETTINGS_OPERATIONS } from './cockpit-settings.operations';
import { CONTRACT_EVENTS_OPERATIONS } from './contract-events.operations';
import { CONTRACT_LIFECYCLE_OPERATIONS } from './contract-lifecycle.operations';
import { CONTRACTS_OPERATIONS } from './contracts.operations';
import { KITS_OPERATIONS } from './kits.operations';

/** The events service's operations (see libs/shared/src/contract/operation.ts). */
export const EVENTS_OPERATIONS: readonly Operation[] = [
  ...CONTRACTS_OPERATIONS,
  ...CONTRACT_LIFECYCLE_OPERATIONS,
  ...CONTRACT_EVENTS_OPERATIONS,
  ...ACTIVITIES_OPERATIONS,
  ...KITS_OPERATIONS,
  ...COCKPIT_SETTINGS_OPERATIONS,
];
