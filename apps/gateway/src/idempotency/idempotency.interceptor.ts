import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { catchError, from, Observable, of, switchMap, throwError } from 'rxjs';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { REQUEST_CONTEXT } from '../http/request-context.decorator';
import { IdempotencyStore } from './idempotency.store';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POSTs: the same key and the same request within 24 h get the first response again
 * (marked `Idempotent-Replayed: true`) without calling the service; the same key with another request is
 * 422 IDEMPOTENCY_KEY_REUSED; while the first is still running, 409. Keys are per tenant. A request that
 * fails is forgotten, so the client may fix it and retry with the same key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest & Record<string, unknown>>();
    const header = req.headers[IDEMPOTENCY_KEY_HEADER];
    const ctx = req[REQUEST_CONTEXT] as RequestContext | undefined;
    if (req.method !== 'POST' || header === undefined || !ctx) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!ACCEPTABLE_KEY.test(key)) {
      throw DomainError.validation({ 'Idempotency-Key': ['Idempotency-Key must be 1 to 255 visible ASCII characters'] });
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    const claim = { tenantId: ctx.tenantId, key, fingerprint: fingerprintOf(req), method: req.method, path: req.url };

    return from(this.store.claim(claim)).pipe(
      switchMap((c) => {
        switch (c.outcome) {
          case 'replay':
            void reply.status(c.status).header('idempotent-replayed', 'true');
            return of(c.body);
          case 'mismatch':
            throw new DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'this Idempotency-Key was used with a different request');
          case 'in_progress':
            throw new DomainError(ErrorCode.CONFLICT, 'a request with this Idempotency-Key is still in progress; retry shortly');
          case 'claimed':
            return next.handle().pipe(
              switchMap((body) => from(this.store.complete(ctx.tenantId, key, status, body)).pipe(switchMap(() => of(body)))),
              catchError((err) => from(this.store.release(ctx.tenantId, key).catch(() => undefined)).pipe(switchMap(() => throwError(() => err)))),
            );
        }
      }),
    );
  }
}

/** Same method, path (with query) and body — keys in any order — give the same fingerprint. */
export function fingerprintOf(req: FastifyRequest): string {
  return createHash('sha256')
    .update(`${req.method} ${req.url}\n`)
    .update(canonicalJson(req.body ?? null))
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
