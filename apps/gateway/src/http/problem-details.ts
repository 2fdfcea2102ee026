import { STATUS_CODES } from 'node:http';
import { ErrorCode, FieldErrors } from '@app/shared/errors/domain-error';

export { PROBLEM_CONTENT_TYPE } from '@app/shared/contract/openapi-document';
export { problemTypeOf } from '@app/shared/errors/problem-type';

/** RFC 9457 problem details, with our domain error code and per-field validation messages. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  errors?: FieldErrors;
  /** 5xx only: the id under which the internals were logged. */
  errorId?: string;
  /** 4xx only: machine-readable facts about the error (e.g. the current version on a conflict). */
  details?: Record<string, unknown>;
}

export function titleOf(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** The domain code of a bare HTTP status (framework and Fastify errors carry only a status). */
export function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return ErrorCode.VALIDATION_FAILED;
    case 401:
      return ErrorCode.UNAUTHENTICATED;
    case 403:
      return ErrorCode.FORBIDDEN;
    case 404:
      return ErrorCode.NOT_FOUND;
    case 405:
      return ErrorCode.METHOD_NOT_ALLOWED;
    case 409:
      return ErrorCode.CONFLICT;
    case 413:
      return ErrorCode.PAYLOAD_TOO_LARGE;
    case 415:
      return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
    case 422:
      return ErrorCode.BUSINESS_RULE;
    case 429:
      return ErrorCode.RATE_LIMITED;
    case 503:
      return ErrorCode.SERVICE_UNAVAILABLE;
    case 504:
      return ErrorCode.SERVICE_TIMEOUT;
    default:
      return status >= 500 ? ErrorCode.INTERNAL : ErrorCode.VALIDATION_FAILED;
  }
}
