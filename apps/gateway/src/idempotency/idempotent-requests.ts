import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { IdempotencyStore } from './idempotency.store';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;

export interface Answer {
  status: number;
  body: unknown;
  /** True when this is the stored first answer to an earlier request with the key. */
  replayed: boolean;
}

/**
 * `Idempotency-Key` on the operations that honour it: the same key and the same request within 24 h get the
 * first answer again (the router marks it `Idempotent-Replayed: true`) without calling the service; the same
 * key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first still runs, 409. Keys are per
 * tenant and caller: another user's request with the same key is a request of its own, never a replay of
 * an answer meant for someone else. A request that fails is forgotten, so the client may fix it and retry
 * with the same key.
 *
 * A failure here may still have taken effect: a 504 whose service committed after the gateway stopped
 * waiting, a 503 from a replica that lost its broker connection after its commit. So the service call of a
 * keyed request carries a request id derived from the key and the request (`requestIdOf`): the retry's call
 * has the first one's id, and the service's request journal (libs/shared/src/messaging/request-journal.ts)
 * answers it with the first run's answer instead of running it again.
 */
@Injectable()
export class IdempotentRequests {
  constructor(private readonly store: IdempotencyStore) {}

  /** The key of a request, or undefined when it sent none; 400 when it is malformed. */
  keyOf(header: string | string[] | undefined): string | undefined {
    if (header === undefined) return undefined;
    const key = Array.isArray(header) ? header[0] : header;
    if (!ACCEPTABLE_KEY.test(key)) {
      throw DomainError.validation({ 'Idempotency-Key': ['Idempotency-Key must be 1 to 255 visible ASCII characters'] });
    }
    return key;
  }

  async run(
    ctx: RequestContext,
    key: string,
    request: { method: string; path: string; fingerprint: string },
    status: number,
    handle: (requestId: string) => Promise<unknown>,
  ): Promise<Answer> {
    const scope = { tenantId: ctx.tenantId, actorId: ctx.actor.id, key };
    const claim = await this.store.claim({ ...scope, fingerprint: request.fingerprint, method: request.method, path: request.path });
    switch (claim.outcome) {
      case 'replay':
        return { status: claim.status, body: claim.body, replayed: true };
      case 'mismatch':
        throw new DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'this Idempotency-Key was used with a different request');
      case 'in_progress':
        throw new DomainError(ErrorCode.CONFLICT, 'a request with this Idempotency-Key is still in progress; retry shortly');
      case 'claimed':
        try {
          const body = await handle(requestIdOf(scope, request.fingerprint));
          await this.store.complete(scope, status, body);
          return { status, body, replayed: false };
        } catch (err) {
          await this.store.release(scope).catch(() => undefined);
          throw err;
        }
    }
  }
}

/**
 * The id of a keyed request's service call: the same for the same caller, key and request (a retry), another
 * for anything else (another request sent with a released key included). A UUID in form (version 8: custom).
 */
export function requestIdOf(scope: { tenantId: string; actorId: string; key: string }, fingerprint: string): string {
  const hex = createHash('sha256').update(`${scope.tenantId}\n${scope.actorId}\n${scope.key}\n${fingerprint}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * What makes two requests the same: the operation and its whole validated input (path, query and body
 * fields, an uploaded file by its name, type, size and sha256: `identityOf`), keys in any order.
 */
export function fingerprintOf(operation: string, input: unknown): string {
  return createHash('sha256')
    .update(`${operation}\n`)
    .update(canonicalJson(input ?? null))
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
