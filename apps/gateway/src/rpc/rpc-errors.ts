import { DomainError, ErrorCode, ErrorPayload } from '@app/shared/errors/domain-error';
import { ServiceName } from '@app/shared/rpc/rpc-request';

/** A service's error answer, carried as a DomainError so the problem+json filter maps it like any other. */
export function errorFromPayload(payload: ErrorPayload): DomainError {
  const code = (Object.values(ErrorCode) as string[]).includes(payload.code) ? payload.code : ErrorCode.INTERNAL;
  const details = payload.errorId ? { ...(payload.details ?? {}), errorId: payload.errorId } : payload.details;
  return new DomainError(code, payload.message ?? 'the service failed', details, payload.errors);
}

export function serviceUnavailable(service: ServiceName, why: string): DomainError {
  return new DomainError(ErrorCode.SERVICE_UNAVAILABLE, `the ${service} service is unavailable`, { service, reason: why });
}

export function serviceTimeout(service: ServiceName, timeoutMs: number): DomainError {
  return new DomainError(ErrorCode.SERVICE_TIMEOUT, `the ${service} service did not answer within ${timeoutMs} ms`, { service, timeoutMs });
}
