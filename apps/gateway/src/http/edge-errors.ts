import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCode } from '@app/shared/errors/domain-error';
import { redactUrl } from '@app/shared/security/redact-url';
import { codeOfStatus, PROBLEM_CONTENT_TYPE, problemTypeOf } from './problem-details';

/** Longest path parameter (ids are 36 characters; an event type is up to 100): a longer one is 414. */
export const MAX_PARAM_LENGTH = 200;
/** Request line and headers together; beyond it Node answers 431 before any handler runs. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Errors Fastify's router raises before a route is found (a path parameter over MAX_PARAM_LENGTH → 414, a
 * malformed percent-encoding → 400) leave as problem+json like every other error.
 */
export function frameworkErrors(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode === 414 ? 414 : 400;
  const detail = status === 414 ? 'a path segment is longer than this API accepts' : 'the URL is not valid (malformed percent-encoding?)';
  void reply
    .status(status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem(status, detail, redactUrl(req.url), String(req.id))));
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (headers over MAX_HEADER_BYTES → 431, a
 * request line or header that is not HTTP → 400, too slow → 408): answered on the socket as problem+json.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const detail =
    status === 431
      ? `the request line and headers exceed ${MAX_HEADER_BYTES} bytes`
      : status === 408
        ? 'the request took too long to arrive'
        : 'the request is not valid HTTP';
  const body = JSON.stringify(problem(status, detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function problem(status: number, detail: string, instance?: string, requestId?: string) {
  const code = status === 414 || status === 431 || status === 408 ? ErrorCode.VALIDATION_FAILED : codeOfStatus(status);
  return {
    type: problemTypeOf(code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
  };
}
