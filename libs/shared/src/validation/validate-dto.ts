import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { DomainError, FieldErrors } from '../errors/domain-error';
import { rememberValidationMetadata } from './metadata-cache';

// Every app validates through this module (RPC handlers here, the gateway's pipe with its options), so the
// rule lookup is made cheap once, before the first request.
rememberValidationMetadata();

/** The house rule for input: unknown fields are refused, values are converted to the declared types. */
export const VALIDATION_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Turns a plain object into a validated DTO instance, or throws VALIDATION_FAILED naming each bad field. */
export async function validateDto<T extends object>(cls: new () => T, plain: unknown): Promise<T> {
  const instance = plainToInstance(cls, plain ?? {}, { enableImplicitConversion: false });
  const errors = await validate(instance as object, VALIDATION_OPTIONS);
  if (errors.length > 0) throw DomainError.validation(flattenValidationErrors(errors));
  return instance;
}

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      out[path] = Object.entries(e.constraints).map(([rule, msg]) =>
        rule === 'whitelistValidation' ? `${path} is not an allowed field` : msg,
      );
    }
    if (e.children?.length) Object.assign(out, flattenValidationErrors(e.children, path));
  }
  return out;
}
