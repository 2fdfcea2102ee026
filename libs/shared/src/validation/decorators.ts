import { Transform } from 'class-transformer';
import { IsInt, Max, Min, registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { DateTime } from 'luxon';

/*
 * House decorators for what repeats in inputs and outputs. Each one both validates and describes itself in
 * the JSON Schema of the OpenAPI document (libs/shared/src/contract/class-schema.ts knows their names), so
 * the document cannot drift from the rule.
 */

/** PostgreSQL `integer`: an input beyond it would fail in the database instead of in validation. */
export const INT4_MAX = 2_147_483_647;

/** A calendar date (`2026-01-31`) that exists: 2026-02-30 is refused here, not by the database. */
export function CalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: key as string,
      options: { message: '$property must be a date that exists, like 2026-01-31', ...options },
      validator: {
        validate: (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v, { zone: 'utc' }).isValid,
      },
    });
}

/**
 * A point in time: ISO 8601 with a time and an offset (`2026-03-01T09:30:00+05:30` or `…Z`), between the
 * years 1900 and 9999, and a date that exists.
 */
export function Timestamp(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName: key as string,
      options: { message: '$property must be an ISO 8601 date-time with an offset, like 2026-03-01T09:30:00Z', ...options },
      validator: { validate: isTimestamp },
    });
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export function isTimestamp(v: unknown): boolean {
  if (typeof v !== 'string' || !TIMESTAMP.test(v)) return false;
  const t = DateTime.fromISO(v, { setZone: true });
  return t.isValid && t.year >= 1900 && t.year <= 9999;
}

/**
 * The `version` a write names: the one the client read. Missing or malformed, the message says what to send.
 */
export function Version(): PropertyDecorator {
  const message = 'version is required: send the version you read with the resource (an integer from 1); a stale one answers 409';
  return (target, key) => {
    IsInt({ message })(target, key);
    Min(1, { message })(target, key);
    Max(INT4_MAX, { message })(target, key);
    Describe('The version you read; a stale one answers 409 VERSION_CONFLICT with the current version.')(target, key);
  };
}

/**
 * Always present in an answer, `null` when there is no value (the schema says `nullable` and `required`).
 * On an input it lets `null` through where the other rules would refuse it.
 */
export function Nullable(): PropertyDecorator {
  return (target, key) => {
    ValidateIf(skipWhenNull)(target, key);
    const nullable = (Reflect.getMetadata(NULLABLE_KEY, target.constructor) as string[] | undefined) ?? [];
    Reflect.defineMetadata(NULLABLE_KEY, [...nullable, key as string], target.constructor);
  };
}
export const NULLABLE_KEY = Symbol.for('cn.nullable-properties');
/** @Nullable's condition, one function so that the compiled validators (class-rules-schema.ts) can recognise it. */
export function skipWhenNull(_object: object, value: unknown): boolean {
  return value !== null;
}

/** Text for the OpenAPI document beside a field (what it means, which rule applies). */
export function Describe(description: string, example?: unknown): PropertyDecorator {
  const schema = example === undefined ? { description } : { description, example: example as string };
  return (target, key) => JSONSchema(schema)(target, key as string);
}

/** A query-string integer (`?limit=20`): converted before validation; anything else stays as sent and fails. */
export function QueryInt(): PropertyDecorator {
  return Transform(queryIntOf);
}
function queryIntOf({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
}

/** A query-string boolean: `true` / `false` (and `1` / `0`); anything else stays as sent and fails. */
export function QueryBoolean(): PropertyDecorator {
  return Transform(queryBooleanOf);
}
function queryBooleanOf({ value }: { value: unknown }): unknown {
  return value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
}

/**
 * The query-string conversions, which change strings only: the compiled validators (class-rules-schema.ts)
 * recognise them by these functions and keep their fast path where the field cannot be a string anyway.
 */
export const STRING_ONLY_TRANSFORMS: ReadonlySet<Function> = new Set([queryIntOf, queryBooleanOf]);
