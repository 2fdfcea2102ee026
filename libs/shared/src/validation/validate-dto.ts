import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, ValidationError } from 'class-validator';
import { DomainError, FieldErrors } from '../errors/domain-error';
import { fastAccepts } from './fast-validator';
import { rememberValidationMetadata } from './metadata-cache';
import { unsafeInputErrors } from './safe-input';

// Every app validates through this module (RPC handlers here, the gateway's pipe with its options), so the
// rule lookup is made cheap once, before the first request.
rememberValidationMetadata();

/** The house rule for input: unknown fields are refused, values are converted to the declared types. */
export const VALIDATION_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/**
 * Turns a plain object into a validated DTO instance, or throws VALIDATION_FAILED naming each bad field.
 * Before the DTO's own rules, the house rule for every input (safe-input.ts): no NUL or lone surrogate in any
 * string or key, no `__proto__`, bounded nesting.
 */
export async function validateDto<T extends object>(cls: new () => T, plain: unknown): Promise<T> {
  return (await validated(cls, plain, true)) as T;
}

/**
 * The same check for input that is only passed on (the gateway forwards it to a service, which builds its
 * own instance): what the compiled validator accepts comes back as it came, without building an instance
 * (class-transformer is most of the cost of an accepted input); anything else as `validateDto` answers it.
 */
export async function validateInput(cls: new () => object, plain: unknown): Promise<object> {
  return validated(cls, plain, false);
}

async function validated<T extends object>(cls: new () => T, plain: unknown, asInstance: boolean): Promise<T | object> {
  if (plain !== undefined && plain !== null && (typeof plain !== 'object' || Array.isArray(plain))) {
    throw DomainError.validation({ body: ['the input must be a JSON object'] });
  }
  const unsafe = unsafeInputErrors(plain);
  if (unsafe) throw DomainError.validation(unsafe);
  if (!hasRules(cls)) {
    // A class without fields (an operation that takes nothing): class-validator calls any value "unknown".
    const extra = Object.keys((plain ?? {}) as object);
    if (extra.length) throw DomainError.validation(Object.fromEntries(extra.map((k) => [k, [`${k} is not an allowed field`]])));
    return new cls();
  }
  if (!asInstance && fastAccepts(cls, plain ?? {}, true)) return (plain ?? {}) as object;
  const instance = plainToInstance(cls, plain ?? {}, { enableImplicitConversion: false });
  // The compiled validator accepts only what class-validator accepts; anything else gets class-validator's messages.
  if (fastAccepts(cls, plain ?? {}, true)) return instance;
  const errors = await validate(instance as object, VALIDATION_OPTIONS);
  if (errors.length > 0) throw DomainError.validation(flattenValidationErrors(errors));
  return instance;
}

const withRules = new WeakMap<Function, boolean>();
function hasRules(cls: Function): boolean {
  let known = withRules.get(cls);
  if (known === undefined) withRules.set(cls, (known = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).length > 0));
  return known;
}

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      // One message once: a house decorator may give several rules the same message.
      out[path] = [...new Set(Object.entries(e.constraints).map(([rule, msg]) => (rule === 'whitelistValidation' ? `${path} is not an allowed field` : msg)))];
    }
    if (e.children?.length) Object.assign(out, flattenValidationErrors(e.children, path));
  }
  return out;
}
