import { IdempotencyKeys1764200000000 } from './migrations/1764200000000-idempotency-keys';
import { IdempotencyKeysPerUser1764300000000 } from './migrations/1764300000000-idempotency-keys-per-user';
import { MachineCredentials1764200000030 } from './migrations/1764200000030-machine-credentials';

/** The gateway's own schema: idempotency keys and machine credentials (it never reads a service's tables). */
export const GATEWAY_SCHEMA = 'gateway';
export const GATEWAY_ENTITIES: Function[] = [];
export const GATEWAY_MIGRATIONS: Function[] = [IdempotencyKeys1764200000000, IdempotencyKeysPerUser1764300000000, MachineCredentials1764200000030];
