import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ClassSchemas } from '@app/shared/contract/class-schema';
import { API_PREFIX } from '@app/shared/contract/openapi-document';
import { EVENT_STREAM_CONTENT_TYPE } from '@app/shared/contract/openapi-document';
import { HttpMethod, Operation, pathParameters } from '@app/shared/contract/operation';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { fillContext, RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { failSpan, SpanKind, startSpan, traceparentHeader, traceparentOf } from '@app/shared/observability/tracing';
import { forbidden, mayCall, OPERATION_KEY, OperationMethod } from '@app/shared/rpc/handles.decorator';
import { FileStore, isKeyOfTenant } from '@app/shared/storage/file-store';
import { validateInput } from '@app/shared/validation/validate-dto';
import { Authenticator } from '../auth/authenticator';
import { TenantRegistry } from '../auth/tenant-registry';
import { unauthenticated } from '../auth/jwt-verifier';
import { GatewayConfig } from '../gateway.config';
import { RateLimiter } from '../http/rate-limiter';
import { REQUEST_CONTEXT } from '../http/request-context.key';
import { fingerprintOf, IDEMPOTENCY_KEY_HEADER, IdempotentRequests } from '../idempotency/idempotent-requests';
import { ServiceRpc } from '../rpc/service-rpc';
import { identityOf, readHttpInput, UploadLimits, uploadedFileOf } from './http-input';
import { STREAM_OPERATION_KEY, StreamMethod } from './streams.decorator';

/** Where a request keeps the traceparent of its server span until its context exists. */
const TRACEPARENT = Symbol('traceparent');

/** The operations the gateway serves: the shared registry, plus what a test mounts. */
export const GATEWAY_OPERATIONS = Symbol('gateway-operations');

type LocalHandler = OperationMethod<object, unknown>;

/** What a download operation's service answers: where the file is in the shared store, and what it is. */
interface FileAnswer {
  storageKey: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

/**
 * Serves every HTTP operation of the registry as a Fastify route derived from its declaration: who may call
 * it, where its input comes from, which status it answers. One request path for all of them:
 * authenticate → roles → rate limit → read and validate the input → the tenant is registered (unless the
 * operation says `tenant: 'any'`) → (Idempotency-Key) → the service over RPC, or the gateway's own
 * implementation → answer. Errors are thrown to the one problem+json filter. A streaming operation takes
 * the same path up to the answer, then gets the raw response (`@Streams`).
 */
@Injectable()
export class OperationRouter implements OnModuleInit {
  private readonly local = new Map<string, LocalHandler>();
  private readonly streams = new Map<string, StreamMethod<object>>();
  private readonly templates: Array<{ method: HttpMethod; pattern: RegExp }> = [];

  constructor(
    @Inject(GATEWAY_OPERATIONS) private readonly operations: readonly Operation[],
    private readonly auth: Authenticator,
    private readonly tenants: TenantRegistry,
    private readonly rateLimiter: RateLimiter,
    private readonly idempotency: IdempotentRequests,
    private readonly rpc: ServiceRpc,
    private readonly discovery: DiscoveryService,
    private readonly config: GatewayConfig,
    private readonly files: FileStore,
  ) {}

  /** Finds the gateway's own implementations (`@Handles` on a gateway provider); a missing one stops the boot. */
  onModuleInit(): void {
    const scanner = new MetadataScanner();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
        const method = instance[name];
        const op = typeof method === 'function' ? (Reflect.getMetadata(OPERATION_KEY, method) as Operation | undefined) : undefined;
        if (op?.handler === 'gateway') this.local.set(op.name, (method as LocalHandler).bind(instance));
        const stream = typeof method === 'function' ? (Reflect.getMetadata(STREAM_OPERATION_KEY, method) as Operation | undefined) : undefined;
        if (stream) this.streams.set(stream.name, (method as StreamMethod<object>).bind(instance));
      }
    }
    const missing = this.operations
      .filter((op) => op.http && op.handler === 'gateway' && !(op.http.stream ? this.streams : this.local).has(op.name))
      .map((op) => op.name);
    if (missing.length) throw new Error(`the gateway has no implementation for: ${missing.join(', ')}`);
  }

  register(fastify: FastifyInstance): void {
    const schemas = new ClassSchemas();
    for (const op of this.operations) {
      if (!op.http) continue;
      const upload: UploadLimits = { maxBytes: this.config.UPLOAD_MAX_BYTES, jsonFields: objectFieldsOf(op, schemas), store: this.files };
      const url = API_PREFIX + op.http.path.replace(/\{([^}]+)\}/g, ':$1');
      this.templates.push({ method: op.http.method, pattern: new RegExp(`^${API_PREFIX}${op.http.path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`) });
      const bodyLimit = op.http.maxBodyBytes !== undefined ? Math.min(op.http.maxBodyBytes, this.config.BODY_LIMIT_BYTES) : undefined;
      fastify.route({
        method: op.http.method,
        url,
        ...(bodyLimit !== undefined ? { bodyLimit } : {}),
        handler: (req, reply) => this.traced(op, req, reply, () => this.serve(op, req, reply, upload)),
      });
    }
  }

  /** The methods that a path answers to (for 405 and `Allow`); empty when no operation has the path. */
  allowedMethods(path: string): HttpMethod[] {
    const bare = path.split('?')[0];
    return this.templates.filter((t) => t.pattern.test(bare)).map((t) => t.method);
  }

  /**
   * The first hop of a trace: a server span under the caller's `traceparent` header (if any), whose
   * traceparent the request's context carries on (`enter`). Refusals (4xx) are outcomes, not span errors.
   */
  private async traced(op: Operation, req: FastifyRequest, reply: FastifyReply, serve: () => Promise<unknown>): Promise<unknown> {
    const http = op.http!;
    const incoming = traceparentHeader(req.headers.traceparent);
    const span = startSpan(`${http.method} ${API_PREFIX}${http.path}`, {
      kind: SpanKind.SERVER,
      parent: incoming,
      attributes: { 'http.request.method': http.method, 'http.route': `${API_PREFIX}${http.path}`, 'cn.operation': op.name },
    });
    (req as unknown as Record<symbol, unknown>)[TRACEPARENT] = traceparentOf(span) ?? incoming;
    try {
      return await serve();
    } catch (err) {
      if (!(err instanceof DomainError) || err.code === ErrorCode.INTERNAL) failSpan(span, err);
      else span.setAttribute('cn.error_code', err.code);
      throw err;
    } finally {
      span.end();
    }
  }

  private async serve(op: Operation, req: FastifyRequest, reply: FastifyReply, upload: UploadLimits): Promise<unknown> {
    const http = op.http!;
    let ctx: RequestContext | undefined;
    let expiresAt: number | undefined;
    if (op.roles !== 'public') {
      const caller = await this.auth.caller(req, { queryToken: http.stream === true });
      ctx = this.enter(req, caller.ctx);
      expiresAt = caller.expiresAt;
      if (!mayCall(op, ctx)) throw forbidden(op);
      await this.rateLimiter.check(`t:${ctx.tenantId}`);
    } else {
      await this.rateLimiter.check(`ip:${req.ip}`);
    }
    const raw = await readHttpInput(op, req, upload, ctx?.tenantId);
    const uploaded = uploadedFileOf(op, raw);
    if (!uploaded) return (await this.answer(op, req, reply, raw, ctx, expiresAt)).body;
    // The stored upload is this request's: it stays only when the service took it (a first answer, not a
    // replay). After a refusal it goes at once; when the outcome is unknown (a timeout: the service may still
    // record it) it stays, and the tickets service's sweep removes it later if nothing references it.
    let keep = false;
    try {
      const answer = await this.answer(op, req, reply, raw, ctx, expiresAt);
      keep = !answer.replayed;
      return answer.body;
    } catch (err) {
      keep = !(err instanceof DomainError) || err.code === ErrorCode.SERVICE_TIMEOUT;
      throw err;
    } finally {
      if (!keep) await this.files.delete(uploaded.storageKey).catch(() => undefined);
    }
  }

  private async answer(
    op: Operation,
    req: FastifyRequest,
    reply: FastifyReply,
    raw: Record<string, unknown>,
    caller: RequestContext | undefined,
    expiresAt: number | undefined,
  ): Promise<{ body: unknown; replayed: boolean }> {
    const http = op.http!;
    // Checked here, passed on as plain JSON: the service validates it again and builds its own instance.
    const input = await validateInput(op.input, raw);
    // A public operation authenticates itself (the service checks the secret); the tenant comes with the request.
    const ctx =
      caller ??
      this.enter(req, {
        tenantId: String((input as Record<string, unknown>)[http.auth!.tenantParameter]),
        actor: SYSTEM_ACTORS.webhook,
        roles: [],
        correlationId: String(req.id ?? randomUUID()),
      });
    // After the input, so that a webhook's tenant (a query parameter) is checked the same way as a token's.
    if (op.tenant !== 'any') {
      if (op.roles === 'public') {
        // An unauthenticated caller learns nothing of which tenants exist: an unknown one is a wrong secret.
        if (!(await this.tenants.isRegistered(ctx.tenantId, ctx.correlationId))) throw unauthenticated('the tenant or its secret is not valid');
      } else await this.tenants.assertRegistered(ctx);
    }
    if (http.stream) return { body: await this.openStream(op, ctx, input, req, reply, expiresAt), replayed: false };

    const status = http.status ?? 200;
    const key = http.idempotent ? this.idempotency.keyOf(req.headers[IDEMPOTENCY_KEY_HEADER]) : undefined;
    const answer = key
      ? await this.idempotency.run(
          ctx,
          key,
          { method: req.method, path: req.url, fingerprint: fingerprintOf(op.name, identityOf(op, input)) },
          status,
          (requestId) => this.dispatch(op, ctx, input, requestId),
        )
      : { status, body: await this.dispatch(op, ctx, input), replayed: false };
    if (answer.replayed) void reply.header('idempotent-replayed', 'true');
    if (http.download) return { body: await this.sendFile(reply, ctx, answer.body as FileAnswer), replayed: answer.replayed };
    void reply.status(answer.status);
    return { body: answer.body, replayed: answer.replayed };
  }

  /** A download: the service said where the file is; its bytes are streamed from the shared store. */
  private async sendFile(reply: FastifyReply, ctx: RequestContext, file: FileAnswer): Promise<FastifyReply> {
    if (!isKeyOfTenant(file.storageKey, ctx.tenantId)) throw new DomainError(ErrorCode.INTERNAL, 'the service named a file of another tenant');
    const bytes = await this.files.read(file.storageKey);
    const safeName = file.fileName.replace(/[^\w.\- ]/g, '_');
    return reply
      .header('content-type', file.contentType)
      .header('content-length', file.size)
      .header('content-disposition', `attachment; filename="${safeName}"`)
      .header('x-content-sha256', file.sha256)
      .send(bytes);
  }

  /**
   * Hands the request to the operation's stream. Until the stream calls `start()` it may still refuse with
   * an error (problem+json as usual); after, the response is the stream's: Fastify lets go of it (hijack),
   * and the head carries the headers the hooks set (request id, security headers).
   */
  private async openStream(
    op: Operation,
    ctx: RequestContext,
    input: object,
    req: FastifyRequest,
    reply: FastifyReply,
    expiresAt: number | undefined,
  ): Promise<void> {
    // Fastify answers HEAD with the GET route: the head of a stream, without holding one open.
    if (req.method === 'HEAD') {
      void reply.header('content-type', `${EVENT_STREAM_CONTENT_TYPE}; charset=utf-8`).header('cache-control', 'no-store');
      return;
    }
    const header = req.headers['last-event-id'];
    await this.streams.get(op.name)!(input, ctx, {
      lastEventId: typeof header === 'string' && header.length > 0 ? header : undefined,
      expiresAt,
      start: () => {
        void reply.hijack();
        const socket = req.raw.socket;
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30_000);
        socket.setTimeout(0);
        reply.raw.writeHead(200, {
          ...(reply.getHeaders() as Record<string, string | number | string[]>),
          'content-type': `${EVENT_STREAM_CONTENT_TYPE}; charset=utf-8`,
          'cache-control': 'no-store',
          // Proxies (nginx) must pass each message on at once rather than buffer the response.
          'x-accel-buffering': 'no',
          // The connection is never reused for another request after a stream.
          connection: 'close',
        });
        reply.raw.flushHeaders();
        return reply.raw;
      },
    });
  }

  private enter(req: FastifyRequest, caller: RequestContext): RequestContext {
    const traceparent = (req as unknown as Record<symbol, unknown>)[TRACEPARENT] as string | undefined;
    const ctx = traceparent ? { ...caller, traceparent } : caller;
    (req as unknown as Record<string, unknown>)[REQUEST_CONTEXT] = ctx;
    // The request's async context (opened by registerRequestContext) now knows the caller: log lines carry it.
    fillContext(ctx);
    return ctx;
  }

  /** `requestId`: a keyed request's service call id, the same for its retries (IdempotentRequests). */
  private dispatch(op: Operation, ctx: RequestContext, input: object, requestId?: string): Promise<unknown> {
    if (op.handler === 'gateway') return Promise.resolve(this.local.get(op.name)!(input, ctx));
    return this.rpc.call(op, ctx, input, { requestId });
  }
}

/** Body fields that are objects or lists: in a multipart body they arrive as JSON text. */
function objectFieldsOf(op: Operation, schemas: ClassSchemas): ReadonlySet<string> {
  if (!op.http?.upload) return new Set();
  const props = (schemas.inline(op.input).properties ?? {}) as Record<string, { type?: string; $ref?: string; allOf?: unknown }>;
  return new Set(
    Object.entries(props)
      .filter(([name, s]) => !pathParameters(op.http!.path).includes(name) && (s.type === 'object' || s.type === 'array' || s.$ref || s.allOf))
      .map(([name]) => name),
  );
}
