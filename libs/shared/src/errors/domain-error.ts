/**
 * Typed domain errors. Use cases throw these and nothing else; the service edge turns them into an RPC
 * error payload and the gateway turns that payload into problem+json with the status below.
 */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  INVALID_CURSOR = 'INVALID_CURSOR',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  CONFLICT = 'CONFLICT',
  TRANSITION_NOT_ALLOWED = 'TRANSITION_NOT_ALLOWED',
  REASON_REQUIRED = 'REASON_REQUIRED',
  EVIDENCE_REQUIRED = 'EVIDENCE_REQUIRED',
  BUSINESS_RULE = 'BUSINESS_RULE',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  /** The token's tenant (or a webhook's) is not in the tenant registry. */
  TENANT_UNKNOWN = 'TENANT_UNKNOWN',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVICE_TIMEOUT = 'SERVICE_TIMEOUT',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.VALIDATION_FAILED]: 400,
  [ErrorCode.INVALID_CURSOR]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.TENANT_UNKNOWN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.METHOD_NOT_ALLOWED]: 405,
  [ErrorCode.VERSION_CONFLICT]: 409,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ErrorCode.TRANSITION_NOT_ALLOWED]: 422,
  [ErrorCode.REASON_REQUIRED]: 422,
  [ErrorCode.EVIDENCE_REQUIRED]: 422,
  [ErrorCode.BUSINESS_RULE]: 422,
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: 422,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.INTERNAL]: 500,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.SERVICE_TIMEOUT]: 504,
};

/** Per-field validation messages, keyed by the field's path (`services.0.name`). */
export type FieldErrors = Record<string, string[]>;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, id?: string): DomainError {
    return new DomainError(ErrorCode.NOT_FOUND, id ? `${what} ${id} was not found` : `${what} was not found`, id ? { id } : undefined);
  }

  static versionConflict(expected: number, current: number): DomainError {
    return new DomainError(ErrorCode.VERSION_CONFLICT, `version ${expected} is stale; the current version is ${current}`, {
      expectedVersion: expected,
      currentVersion: current,
    });
  }

  static rule(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(ErrorCode.BUSINESS_RULE, message, details);
  }

  static validation(fieldErrors: FieldErrors, message = 'the request is not valid'): DomainError {
    return new DomainError(ErrorCode.VALIDATION_FAILED, message, undefined, fieldErrors);
  }
}

/** The wire form of an error, as services answer over RabbitMQ. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  errors?: FieldErrors;
  /** Set for unexpected failures: the id under which the service logged the internals. */
  errorId?: string;
}

export function toErrorPayload(err: DomainError): ErrorPayload {
  return { code: err.code, message: err.message, details: err.details, errors: err.fieldErrors };
}
