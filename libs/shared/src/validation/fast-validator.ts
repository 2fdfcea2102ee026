import Ajv, { ValidateFunction } from 'ajv';
import { Check, classRulesSchema, ClassRulesSchema, JsonSchema } from './class-rules-schema';
import { rememberValidationMetadata, validationMetadataGeneration } from './metadata-cache';

/*
 * Compiled validators: one ajv function per class and mode, built once from the class's class-validator
 * rules (class-rules-schema.ts). class-validator costs 0.3–0.5 ms per payload (a plainToInstance, an error
 * object per property, metadata lookups); the compiled function a few microseconds. It only ever ACCEPTS
 * on class-validator's behalf: whatever it refuses, and every class without a fast path, goes to
 * class-validator, which answers with today's messages.
 */

// The generation below only moves once rule additions are watched.
rememberValidationMetadata();

const checks = new Map<string, Check>();
const ajv = new Ajv({
  allErrors: false,
  // NaN and ±Infinity are not JSON numbers, and not numbers to @IsNumber / @IsInt either.
  strictNumbers: true,
  strictSchema: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  validateSchema: false,
  logger: false,
});
// A rule that is its own function (house validators, ArrayUnique): called as class-validator would call it.
ajv.addKeyword({ keyword: 'cvCheck', schemaType: 'string', errors: false, validate: (id: string, data: unknown) => checks.get(id)!(data) });
// An object of a class: see isPlainRecord. The keys of its properties are the schema's to check.
ajv.addKeyword({ keyword: 'cvPlain', type: 'object', schemaType: 'boolean', errors: false, validate: (_on: boolean, data: object) => isPlainRecord(data) });
// A value no rule looks into (an @IsObject, an unconstrained list): class-transformer still copies it, and throws
// on some (`{"constructor": 1}` inside it); whatever it might not copy as is goes to the slow path, as before.
ajv.addKeyword({ keyword: 'cvData', schemaType: 'boolean', errors: false, validate: (_on: boolean, data: unknown) => isPlainData(data, 0) });

/**
 * class-transformer copies the own enumerable keys of what it is given, skips `constructor`, reads
 * `value.constructor` as the class and may set a prototype through `__proto__`; ajv reads any key. A JSON
 * object has nothing else; an object made in code (a prototype, a hidden field) is left to class-validator.
 */
function isPlainRecord(data: object): boolean {
  return (
    isRoot(Object.getPrototypeOf(data)) &&
    !Object.prototype.hasOwnProperty.call(data, '__proto__') &&
    !Object.prototype.hasOwnProperty.call(data, 'constructor') &&
    Object.getOwnPropertyNames(data).length === Object.keys(data).length
  );
}

/**
 * An Object.prototype, of any realm (a JSON.parse or structuredClone of another context makes objects with
 * its own); not null: class-transformer reads an object's `constructor`. Dates, Maps, class instances have a
 * prototype below it.
 */
function isRoot(proto: unknown): boolean {
  return proto !== null && typeof proto === 'object' && Object.getPrototypeOf(proto) === null;
}

/** Deeper than this, or a cycle: left to class-validator. */
const MAX_DATA_DEPTH = 32;
function isPlainData(data: unknown, depth: number): boolean {
  if (typeof data === 'function') return false;
  if (data === null || typeof data !== 'object') return true;
  if (depth > MAX_DATA_DEPTH) return false;
  if (Array.isArray(data)) return isRoot(Object.getPrototypeOf(Object.getPrototypeOf(data))) && data.every((item) => isPlainData(item, depth + 1));
  if (!isPlainRecord(data)) return false;
  for (const key in data) if (!isPlainData((data as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

let names = 0;
/** Formats and check ids are global to the one ajv instance: each class's get fresh names. */
function register(built: ClassRulesSchema): JsonSchema {
  const rename = new Map<string, string>();
  for (const [id, check] of built.formats) {
    const name = `cv${names++}-${id}`;
    rename.set(id, name);
    ajv.addFormat(name, { type: 'string', validate: (s: string) => check(s) });
  }
  for (const [id, check] of built.checks) {
    const name = `cv${names++}-${id}`;
    rename.set(id, name);
    checks.set(name, check);
  }
  return JSON.parse(JSON.stringify(built.schema), (key, value: unknown) =>
    (key === 'format' || key === 'cvCheck') && typeof value === 'string' ? (rename.get(value) ?? value) : value,
  ) as JsonSchema;
}

export type FastPath = { validate: ValidateFunction; schema: JsonSchema } | { reason: string };

let builtAt = -1;
const strictPaths = new Map<Function, FastPath>();
const tolerantPaths = new Map<Function, FastPath>();

/** The class's compiled validator in a mode (strict: unknown fields refused), or why it has none. Built once. */
export function fastPathOf(cls: Function, strict: boolean): FastPath {
  if (builtAt !== validationMetadataGeneration()) {
    // A rule was added since (a class defined late, in tests): what was built may be missing it.
    strictPaths.clear();
    tolerantPaths.clear();
    builtAt = validationMetadataGeneration();
  }
  const paths = strict ? strictPaths : tolerantPaths;
  let path = paths.get(cls);
  if (!path) paths.set(cls, (path = compileFastPath(cls, strict)));
  return path;
}

/** Compiles without caching; the agreement test also compiles altered schemas with it to show it can fail. */
export function compileFastPath(cls: Function, strict: boolean, alter?: (schema: JsonSchema) => void): FastPath {
  const built = classRulesSchema(cls, strict);
  if ('reason' in built) return built;
  const schema = register(built);
  alter?.(schema);
  return { validate: ajv.compile(schema), schema };
}

/**
 * True when the class's compiled validator accepts the value, which class-validator then would too. False
 * when it refuses, or when the class has no fast path: ask class-validator.
 */
export function fastAccepts(cls: Function, value: unknown, strict: boolean): boolean {
  const path = fastPathOf(cls, strict);
  return 'validate' in path && path.validate(value) === true;
}
