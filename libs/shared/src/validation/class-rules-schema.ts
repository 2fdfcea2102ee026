import { TransformationType } from 'class-transformer';
import { getMetadataStorage, IS_OPTIONAL, isEmail, isHexColor, isISO8601, isTimeZone, isURL, isUUID, matches, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { defaultMetadataStorage } from './class-transformer-storage';
import { skipWhenNull, STRING_ONLY_TRANSFORMS } from './decorators';

/*
 * A class's class-validator rules as one JSON Schema that ajv compiles (fast-validator.ts), or the reason it
 * cannot be one. The schema is a fast path for ACCEPTING only: each rule maps to a fragment that accepts a
 * subset of what the rule accepts (most map exactly), so "the schema accepts" implies "class-validator
 * accepts"; a refusal goes back to class-validator for its messages. A rule without a mapping below, in the
 * class or in any class it nests, leaves the whole class on class-validator.
 */

export type JsonSchema = { [key: string]: unknown };
/** A check ajv cannot express, called by id from the schema: a string format or the `cvCheck` keyword. */
export type Check = (value: unknown) => boolean;
export interface ClassRulesSchema {
  schema: JsonSchema;
  /** Formats the schema names (string values only), by name. */
  formats: Map<string, Check>;
  /** What the `cvCheck` keyword calls, by id. */
  checks: Map<string, Check>;
}

type Fragment = JsonSchema;
class NoFastPath extends Error {}
const refuse = (why: string): never => {
  throw new NoFastPath(why);
};

const num = (m: ValidationMetadata, i = 0): number => {
  const n = m.constraints?.[i] as unknown;
  return typeof n === 'number' && Number.isFinite(n) ? n : refuse(`${m.name}(${String(n)}) has no numeric bound`);
};

/**
 * class-validator's own functions, called with the rule's own arguments: ajv-formats' uuid, date and date-time
 * are not validator.js's isUUID / isISO8601 (ISO 8601 allows `2026-01-01` and times without an offset, the
 * RFC 3339 `date-time` does not), so a string format is always the very function class-validator calls.
 */
const FORMATS: Record<string, (m: ValidationMetadata) => (s: string) => boolean> = {
  isUuid: (m) => (s) => isUUID(s, m.constraints?.[0] as Parameters<typeof isUUID>[1]),
  isIso8601: (m) => (s) => isISO8601(s, m.constraints?.[0] as Parameters<typeof isISO8601>[1]),
  isEmail: (m) => (s) => isEmail(s, m.constraints?.[0] as Parameters<typeof isEmail>[1]),
  isUrl: (m) => (s) => isURL(s, m.constraints?.[0] as Parameters<typeof isURL>[1]),
  isTimeZone: () => (s) => isTimeZone(s),
  isHexColor: () => (s) => isHexColor(s),
  // Called as @Matches calls it, with the pattern and modifiers as stored, whichever of its overloads applies.
  matches: (m) => (s) => (matches as (v: unknown, pattern: unknown, modifiers: unknown) => boolean)(s, m.constraints?.[0], m.constraints?.[1]),
};

/** House rules (and ArrayUnique, whose identifier function is not in the metadata) run their own registered check. */
const BY_OWN_CHECK = new Set(['isCalendarDate', 'isTimestamp', 'isNumberMap', 'arrayUnique']);
/** House string formats, named for the document's `date` / `date-time` but checked by the house function. */
const OWN_CHECK_FORMATS = new Set(['isCalendarDate', 'isTimestamp']);

/** Rules that JSON Schema states exactly (with ajv's strictNumbers: NaN and ±Infinity are not numbers). */
const NATIVE: Record<string, (m: ValidationMetadata) => Fragment> = {
  isString: () => ({ type: 'string' }),
  isBoolean: () => ({ type: 'boolean' }),
  isInt: () => ({ type: 'integer' }),
  isNumber: (m) => {
    const o = (m.constraints?.[0] ?? {}) as { maxDecimalPlaces?: number };
    return o.maxDecimalPlaces === undefined ? { type: 'number' } : refuse('isNumber with maxDecimalPlaces');
  },
  isArray: () => ({ type: 'array' }),
  isObject: () => ({ type: 'object' }),
  // validator.js counts code points minus U+FE0E/U+FE0F, ajv code points: never fewer, so ajv is the stricter.
  maxLength: (m) => ({ type: 'string', maxLength: num(m) }),
  min: (m) => ({ type: 'number', minimum: num(m) }),
  max: (m) => ({ type: 'number', maximum: num(m) }),
  arrayMaxSize: (m) => ({ type: 'array', maxItems: num(m) }),
  arrayMinSize: (m) => ({ type: 'array', minItems: num(m) }),
  isNotEmpty: () => ({ not: { enum: ['', null] } }),
  isIn: (m) => {
    const values = m.constraints?.[0] as unknown;
    const primitive = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    // class-validator compares with ===, ajv's enum deeply: the same for strings, booleans and finite numbers.
    return Array.isArray(values) && values.every(primitive) ? { enum: values } : refuse('isIn with values other than strings, booleans, numbers');
  },
};

const PRIMITIVE = new Set(['string', 'number', 'integer', 'boolean']);

/** Checks that parse (validator.js's isISO8601 and isEmail take 2–6 µs, luxon and Intl more) and depend on the string alone. */
const PARSING = new Set(['isIso8601', 'isEmail', 'isUrl', 'isTimeZone', 'isCalendarDate', 'isTimestamp']);
const REMEMBERED = 1000;

/**
 * A parsing check remembers its recent answers: an activation's 1,000 events share their occurredAt and
 * most dates, a JTD burst its recipients. Exact, since the answer depends on the string alone; bounded by
 * starting afresh when full.
 */
function remembered<T>(name: string, check: (s: T) => boolean): (s: T) => boolean {
  if (!PARSING.has(name)) return check;
  let answers = new Map<T, boolean>();
  return (s) => {
    let ok = answers.get(s);
    if (ok === undefined) {
      if (answers.size >= REMEMBERED) answers = new Map();
      answers.set(s, (ok = check(s)));
    }
    return ok;
  };
}

/** Builds the schemas of a class and every class it nests; one builder per root class and mode. */
class Builder {
  readonly definitions: Record<string, JsonSchema> = {};
  readonly formats = new Map<string, Check>();
  readonly checks = new Map<string, Check>();
  private readonly ids = new Map<Function, string>();

  constructor(private readonly strict: boolean) {}

  /** `$ref` to the class's definition, building it on first use. */
  ref(cls: Function): Fragment {
    let id = this.ids.get(cls);
    if (!id) {
      id = `c${this.ids.size}`;
      this.ids.set(cls, id);
      this.definitions[id] = this.classSchema(cls);
    }
    return { $ref: `#/definitions/${id}` };
  }

  private classSchema(cls: Function): JsonSchema {
    const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false);
    // forbidUnknownValues: class-validator refuses an instance of a class without rules.
    if (metas.length === 0) refuse(`${cls.name} has no rules`);
    if (defaultMetadataStorage.getStrategy(cls) !== 'none' || defaultMetadataStorage.getExposedMetadatas(cls).length > 0) {
      refuse(`${cls.name} uses @Expose`);
    }
    if (defaultMetadataStorage.getExcludedMetadatas(cls).length > 0) refuse(`${cls.name} uses @Exclude`);
    if (Object.keys(instanceOf(cls)).length > 0) refuse(`${cls.name} has field initialisers (validated, but not in the input)`);
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const m of metas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);

    const properties: Record<string, Fragment> = {};
    const required: string[] = [];
    for (const [name, rules] of byProperty) {
      const { schema, optional } = this.property(cls, name, rules);
      properties[name] = schema;
      if (!optional) required.push(name);
    }
    // Strict: class-validator's whitelist refuses what no rule names (forbidNonWhitelisted), at every level.
    return {
      type: 'object',
      cvPlain: true,
      properties,
      ...(required.length > 0 ? { required } : {}),
      ...(this.strict ? { additionalProperties: false } : {}),
    };
  }

  private property(cls: Function, name: string, rules: ValidationMetadata[]): { schema: Fragment; optional: boolean } {
    const where = `${cls.name}.${name}`;
    const transforms = defaultMetadataStorage.findTransformMetadatas(cls, name, TransformationType.PLAIN_TO_CLASS);
    if (transforms.some((t) => !STRING_ONLY_TRANSFORMS.has(t.transformFn))) refuse(`${where} has a @Transform`);
    if (hasAccessorOrMethod(cls, name)) refuse(`${where} is an accessor or method: class-transformer does not copy it`);
    let skipNull = false;
    let skipUndefined = false;
    let nested = false;
    const fragments: Fragment[] = [];
    for (const m of rules) {
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        // @IsOptional skips the rules when the value is null or undefined; @Nullable's ValidateIf when it is null.
        if (m.name === IS_OPTIONAL) skipNull = skipUndefined = true;
        else if (m.constraints?.[0] === skipWhenNull) skipNull = true;
        else refuse(`${where} has a @ValidateIf`);
      } else if (m.type === ValidationTypes.IS_DEFINED) {
        fragments.push({ not: { type: 'null' } });
      } else if (m.type === ValidationTypes.NESTED_VALIDATION) {
        nested = true;
        fragments.push(this.nested(cls, name, m));
      } else if (m.type === ValidationTypes.CUSTOM_VALIDATION) {
        const f = this.custom(cls, where, m);
        fragments.push(m.each ? { type: 'array', items: f } : f);
      } else refuse(`${where} has a rule of type ${m.type}`);
    }
    const type = defaultMetadataStorage.findTypeMetadata(cls, name);
    if (type && !nested) refuse(`${where} has a @Type but no @ValidateNested`);
    // @QueryInt / @QueryBoolean change strings only: where a rule refuses every string, what the schema accepts is unchanged.
    if (transforms.length > 0 && !fragments.some((f) => ['integer', 'number', 'boolean'].includes(f.type as string)))
      refuse(`${where}: a @Transform on a string`);
    // Without @IsOptional, an absent value meets the rules as undefined: required is as strict or stricter.
    // A value that no rule pins to a primitive or a class can hold anything: the `cvData` keyword checks that
    // class-transformer would copy it as is (fast-validator.ts).
    if (!nested && !fragments.some((f) => PRIMITIVE.has(f.type as string) || Array.isArray(f.enum))) fragments.push({ cvData: true });
    const core: Fragment = fragments.length === 1 ? fragments[0] : { allOf: fragments };
    return { schema: skipNull ? { anyOf: [{ type: 'null' }, core] } : core, optional: skipUndefined };
  }

  private nested(cls: Function, name: string, m: ValidationMetadata): Fragment {
    const type = defaultMetadataStorage.findTypeMetadata(cls, name);
    if (!type || type.options?.discriminator) refuse(`${cls.name}.${name} nests without a plain @Type(() => Class)`);
    const target = type!.typeFunction() as unknown;
    if (typeof target !== 'function' || [Object, String, Number, Boolean, Date, Array].includes(target as never)) refuse(`${cls.name}.${name} nests no class`);
    const ref = this.ref(target as Function);
    // A single @ValidateNested also walks an array's items; requiring an object is the stricter reading.
    return m.each ? { type: 'array', items: ref } : ref;
  }

  private custom(cls: Function, where: string, m: ValidationMetadata): Fragment {
    const name = m.name ?? '';
    const constraints = getMetadataStorage().getTargetValidatorConstraints(m.constraintCls);
    if (constraints.length !== 1 || constraints[0].async) refuse(`${where}: ${name} is not one synchronous constraint`);
    if (NATIVE[name]) return NATIVE[name](m);
    const id = `${name}-${this.formats.size + this.checks.size}`;
    if (FORMATS[name]) {
      const check = remembered(name, FORMATS[name](m));
      this.formats.set(id, (v) => typeof v === 'string' && check(v));
      return { type: 'string', format: id };
    }
    if (BY_OWN_CHECK.has(name)) {
      const instance = constraints[0].instance as { validate(value: unknown, args: unknown): unknown };
      const args = (value: unknown) => ({ value, constraints: m.constraints, targetName: cls.name, object: {}, property: m.propertyName });
      const check: Check = (v) => {
        const ok = instance.validate(v, args(v));
        return typeof (ok as Promise<unknown> | undefined)?.then !== 'function' && !!ok;
      };
      if (OWN_CHECK_FORMATS.has(name)) {
        this.formats.set(id, remembered(name, check));
        return { type: 'string', format: id };
      }
      this.checks.set(id, check);
      return { cvCheck: id };
    }
    return refuse(`${where}: no exact mapping for ${name || 'an unnamed rule'}`);
  }
}

/** The class's rules as a JSON Schema, strict (unknown fields refused) or tolerant; or why there is none. */
export function classRulesSchema(cls: Function, strict: boolean): ClassRulesSchema | { reason: string } {
  const builder = new Builder(strict);
  try {
    const root = builder.ref(cls);
    return { schema: { ...root, definitions: builder.definitions }, formats: builder.formats, checks: builder.checks };
  } catch (err) {
    if (err instanceof NoFastPath) return { reason: err.message };
    throw err;
  }
}

function instanceOf(cls: Function): object {
  try {
    return new (cls as new () => object)();
  } catch {
    return refuse(`${cls.name} cannot be constructed without arguments`);
  }
}

function hasAccessorOrMethod(cls: Function, name: string): boolean {
  // class-transformer skips a key its prototype describes, or that reads as a function through the chain.
  for (let p: object | null = cls.prototype as object; p; p = Object.getPrototypeOf(p) as object | null) {
    if (Object.getOwnPropertyDescriptor(p, name)) return true;
  }
  return false;
}
