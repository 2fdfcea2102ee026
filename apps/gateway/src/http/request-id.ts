import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTABLE = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * The request id is the caller's X-Request-Id when it is a sane token (so a flow can be followed across
 * systems), else a fresh uuid. It becomes the correlation id of everything the request causes.
 */
export function requestIdOf(req: IncomingMessage | Http2ServerRequest): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE.test(given) ? given : randomUUID();
}
