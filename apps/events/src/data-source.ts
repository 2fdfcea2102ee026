import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@app/shared/messaging/messaging.module';
import { StatusFlowTables1764000000000 } from '@app/shared/status-machine/migrations/1764000000000-status-flow-tables';
import { STATUS_FLOW_ENTITIES } from '@app/shared/status-machine/status-flow.entities';
import { EventsDomain1764100000000 } from './migrations/1764100000000-events-domain';
import { DefaultStatusFlows1764100000001 } from './migrations/1764100000001-default-status-flows';
import { StatusHistory1764100000002 } from './migrations/1764100000002-status-history';
import { ActivitiesAndKits1764100000010 } from './migrations/1764100000010-activities-and-kits';
import { AppointmentReadModel1764100000020 } from './migrations/1764100000020-appointment-read-model';
import { ContractLifecycle1764100000030 } from './migrations/1764100000030-contract-lifecycle';

/** Everything this service stores in schema `events`; one list for the app, migrations and tests. */
export const EVENTS_SCHEMA = 'events';
export const EVENTS_ENTITIES: Function[] = [...STATUS_FLOW_ENTITIES, ...MESSAGING_ENTITIES];
export const EVENTS_MIGRATIONS: Function[] = [
  StatusFlowTables1764000000000,
  ...MESSAGING_MIGRATIONS,
  EventsDomain1764100000000,
  DefaultStatusFlows1764100000001,
  StatusHistory1764100000002,
  ActivitiesAndKits1764100000010,
  AppointmentReadModel1764100000020,
  ContractLifecycle1764100000030,
];
