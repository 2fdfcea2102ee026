import { DEV_SEALED_FIELDS_KEY } from '../security/dev-defaults';
import { isSealed, sealingKey, unseal } from '../security/sealed-fields';

/**
 * What a consumer holding the key reads from a sealed field (an OTP in a captured JTD_REQUESTED): tests run
 * every service with the development key. Throws, without printing it, when the value is not sealed.
 */
export function openSealed(value: unknown, tenantId: string): string {
  if (!isSealed(value)) throw new Error(`expected a sealed value ({ $sealed }), got ${value === null ? 'null' : typeof value}`);
  return unseal(value, sealingKey(DEV_SEALED_FIELDS_KEY), tenantId);
}
