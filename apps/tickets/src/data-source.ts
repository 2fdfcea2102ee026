import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@app/shared/messaging/messaging.module';
import { StatusFlowTables1764000000000 } from '@app/shared/status-machine/migrations/1764000000000-status-flow-tables';
import { STATUS_FLOW_ENTITIES } from '@app/shared/status-machine/status-flow.entities';
import { TicketsTables1764400000000 } from './migrations/1764400000000-tickets-tables';
import { CheckOutVerification1764500000000 } from './migrations/1764500000000-check-out-verification';
import { StatusHistory1764600000000 } from './migrations/1764600000000-status-history';
import { LocationsAndFieldSettings1764600000020 } from './migrations/1764600000020-locations-and-field-settings';

/** Everything this service stores in schema `tickets`; one list for the app, migrations and tests. */
export const TICKETS_SCHEMA = 'tickets';
export const TICKETS_ENTITIES: Function[] = [...STATUS_FLOW_ENTITIES, ...MESSAGING_ENTITIES];
export const TICKETS_MIGRATIONS: Function[] = [
  StatusFlowTables1764000000000,
  ...MESSAGING_MIGRATIONS,
  TicketsTables1764400000000,
  CheckOutVerification1764500000000,
  StatusHistory1764600000000,
  LocationsAndFieldSettings1764600000020,
];
