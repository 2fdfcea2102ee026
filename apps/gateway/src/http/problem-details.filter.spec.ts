import { NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { ProblemDetailsFilter } from './problem-details.filter';

describe('ProblemDetailsFilter.toProblem', () => {
  const filter = new ProblemDetailsFilter();
  Object.assign(filter, { logger: { warn: () => undefined, error: () => undefined } });

  it('maps a domain error to its status with code, per-field errors and details', () => {
    const p = filter.toProblem(DomainError.validation({ 'customer.name': ['customer.name must be a string'] }));
    expect(p).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', title: 'Bad Request', errors: { 'customer.name': ['customer.name must be a string'] } });
    expect(p.type).toBe('https://contractnest.dev/problems/validation-failed');
    expect(filter.toProblem(DomainError.versionConflict(1, 2))).toMatchObject({ status: 409, details: { expectedVersion: 1, currentVersion: 2 } });
  });

  it('hides the message of an unexpected error behind an errorId', () => {
    const p = filter.toProblem(new Error('password authentication failed for user cn_events'));
    expect(p).toMatchObject({ status: 500, code: 'INTERNAL', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(JSON.stringify(p)).not.toContain('password');
  });

  it('keeps the errorId a service logged its internals under', () => {
    const p = filter.toProblem(new DomainError(ErrorCode.INTERNAL, 'relation "x" does not exist', { errorId: 'svc-error-1' }));
    expect(p.errorId).toBe('svc-error-1');
    expect(p.detail).not.toContain('relation');
    expect(p).not.toHaveProperty('details');
  });

  it('says which service timed out, with an errorId', () => {
    const p = filter.toProblem(new DomainError(ErrorCode.SERVICE_TIMEOUT, 'the events service did not answer within 5000 ms', { service: 'events' }));
    expect(p).toMatchObject({ status: 504, detail: 'the events service did not answer within 5000 ms', errorId: expect.any(String) });
  });

  it('maps framework and Fastify errors by their status', () => {
    expect(filter.toProblem(new NotFoundException('Cannot GET /v1/nope'))).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: 'no route GET /v1/nope' });
    expect(filter.toProblem(new PayloadTooLargeException())).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    const fastify = Object.assign(new Error('Unsupported Media Type: application/xml'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    expect(filter.toProblem(fastify)).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});
