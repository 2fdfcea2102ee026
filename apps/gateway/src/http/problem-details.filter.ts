import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, HTTP_STATUS_OF } from '@app/shared/errors/domain-error';
import { redactUrl } from '@app/shared/security/redact-url';
import { codeOfStatus, PROBLEM_CONTENT_TYPE, ProblemDetails, problemTypeOf, titleOf } from './problem-details';

/**
 * The one exception filter of the gateway: every error — domain errors from services, validation, auth,
 * Fastify's own (bad JSON, body too large, unsupported media type, unknown route) and unexpected ones —
 * leaves as RFC 9457 problem+json. A 5xx carries an `errorId`; its internals go to the log under that id,
 * never to the client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** `allowedMethods` of a path: an unknown method on a known path is 405 with `Allow`, not 404. */
  constructor(private readonly allowedMethods: (path: string) => string[] = () => []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(this.methodNotAllowed(exception, req, reply) ?? exception, req);
    if (reply.sent) return;
    if (problem.code === ErrorCode.RATE_LIMITED && typeof problem.details?.retryAfterSeconds === 'number') {
      void reply.header('retry-after', String(problem.details.retryAfterSeconds));
    }
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private methodNotAllowed(exception: unknown, req: FastifyRequest, reply: FastifyReply): DomainError | undefined {
    if (!(exception instanceof HttpException) || exception.getStatus() !== 404 || !req?.url) return undefined;
    if (req.routeOptions?.url) return undefined; // a route that answered 404 itself
    const allowed = this.allowedMethods(req.url);
    if (allowed.length === 0) return undefined;
    void reply.header('allow', [...new Set([...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])])].join(', '));
    return new DomainError(ErrorCode.METHOD_NOT_ALLOWED, `${req.method} is not allowed on ${req.url.split('?')[0]}; allowed: ${allowed.join(', ')}`);
  }

  toProblem(exception: unknown, req?: FastifyRequest): ProblemDetails {
    const base = { instance: redactUrl(req?.url), requestId: req?.id ? String(req.id) : undefined };
    if (exception instanceof DomainError) {
      const status = HTTP_STATUS_OF[exception.code] ?? 500;
      if (status >= 500) return this.serverError(status, exception.code, exception, base, exception.message);
      return {
        type: problemTypeOf(exception.code),
        title: titleOf(status),
        status,
        detail: exception.message,
        code: exception.code,
        ...base,
        ...(exception.fieldErrors ? { errors: exception.fieldErrors } : {}),
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    const status = statusOf(exception);
    const code = codeOfStatus(status);
    if (status >= 500) return this.serverError(status, code, exception, base);
    return { type: problemTypeOf(code), title: titleOf(status), status, detail: clientMessageOf(exception, status), code, ...base };
  }

  private serverError(status: number, code: ErrorCode, exception: unknown, base: object, safeDetail?: string): ProblemDetails {
    const fromService = exception instanceof DomainError ? exception.details?.errorId : undefined;
    const errorId = typeof fromService === 'string' ? fromService : randomUUID();
    const expected = code === ErrorCode.SERVICE_TIMEOUT || code === ErrorCode.SERVICE_UNAVAILABLE;
    const internals = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
    const where = `${code} errorId=${errorId} requestId=${(base as { requestId?: string }).requestId ?? '-'}`;
    if (expected) this.logger.warn(`${where}: ${(exception as Error)?.message}`);
    else this.logger.error(`${where}: ${internals}`);
    // Our own 503/504 messages name the service and the timeout only; anything else stays generic.
    const detail = expected && safeDetail ? safeDetail : 'an unexpected error occurred; quote the errorId when reporting it';
    return { type: problemTypeOf(code), title: titleOf(status), status, detail, code, errorId, ...base };
  }
}

function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  const s = (exception as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' && s >= 400 && s <= 599 ? s : 500;
}

/** Messages of framework and Fastify 4xx errors are meant for clients (e.g. "Body is not valid JSON"). */
function clientMessageOf(exception: unknown, status: number): string {
  if (exception instanceof HttpException) {
    const r = exception.getResponse();
    const m = typeof r === 'string' ? r : (r as { message?: unknown }).message;
    // Nest's message carries the whole URL, query string included.
    if (status === 404 && typeof m === 'string' && m.startsWith('Cannot ')) return `no route ${redactUrl(m.slice(7))}`;
    return Array.isArray(m) ? m.join('; ') : String(m ?? exception.message);
  }
  return (exception as Error)?.message || titleOf(status);
}
