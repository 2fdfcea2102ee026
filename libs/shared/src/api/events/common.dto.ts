import { IsObject, IsUUID, Matches, MaxLength } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { Describe } from '../../validation/decorators';

/** A decimal amount with at most two fraction digits, as a string (`"1250.50"`). */
export const MONEY_PATTERN = /^\d{1,13}(\.\d{1,2})?$/;

/** Money travels as decimal text: a float would lose the cents that make billing events sum to the total. */
export function Money(): PropertyDecorator {
  return (target, key) => {
    Matches(MONEY_PATTERN, { message: '$property must be a decimal string with at most 2 decimals, e.g. "1250.50"' })(target, key);
    MaxLength(16)(target, key);
  };
}

/**
 * A map from a code that tenants define (a status) to a count. The keys are data, so no class can name
 * them; the schema still says what the values are.
 */
export function CountsByCode(description: string): PropertyDecorator {
  return (target, key) => {
    IsObject()(target, key);
    JSONSchema({ type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description })(target, key as string);
  };
}

/** `{id}` of the contract routes. */
export class ContractIdParams {
  @IsUUID()
  @Describe('The contract')
  id!: string;
}

/** `{id}` of the event routes. */
export class EventIdParams {
  @IsUUID()
  @Describe('The contract event')
  id!: string;
}
