import { registerDecorator } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/** At most this many entries in a NumberMap. */
export const NUMBER_MAP_MAX_KEYS = 100;

/**
 * An object from names (1–100 characters) to finite numbers (`{ "pressureBar": 6.5 }`), at most 100 of them:
 * validated, and described in the JSON Schema as such.
 */
export function NumberMap(description: string): PropertyDecorator {
  return (target, key) => {
    registerDecorator({
      name: 'isNumberMap',
      target: target.constructor,
      propertyName: key as string,
      options: { message: `$property must be an object of at most ${NUMBER_MAP_MAX_KEYS} names (1–100 characters) to numbers` },
      validator: {
        validate: (v: unknown) =>
          !!v &&
          typeof v === 'object' &&
          !Array.isArray(v) &&
          Object.keys(v).length <= NUMBER_MAP_MAX_KEYS &&
          Object.entries(v).every(([k, n]) => k.length >= 1 && k.length <= 100 && typeof n === 'number' && Number.isFinite(n)),
      },
    });
    // A function replaces what the library inferred (a $ref to `Object`, from the TypeScript type) instead of adding to it.
    JSONSchema(() => ({ type: 'object', additionalProperties: { type: 'number' }, maxProperties: NUMBER_MAP_MAX_KEYS, description }))(target, key as string);
  };
}
