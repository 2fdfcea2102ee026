import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ClassSchemas } from '@app/shared/contract/class-schema';
import { API_PREFIX } from '@app/shared/contract/openapi-document';
import { HttpMethod, Operation, pathParameters } from '@app/shared/contract/operation';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { fillContext, RequestContext } from '@app/shared/context/request-context';
import { forbidden, mayCall, OPERATION_KEY, OperationMethod } from '@app/shared/rpc/handles.decorator';
import { validateDto } from '@app/shared/validation/validate-dto';
import { Authenticator } from '../auth/authenticator';
import { TenantRegistry } from '../auth/tenant-registry';
import { unauthenticated } from '../auth/jwt-verifier';
import { GatewayConfig } from '../gateway.config';
import { RateLimiter } from '../http/rate-limiter';
import { REQUEST_CONTEXT } from '../http/request-context.key';
import { fingerprintOf, IDEMPOTENCY_KEY_HEADER, IdempotentRequests } from '../idempotency/idempotent-requests';
import { ServiceRpc } from '../rpc/service-rpc';
import { readHttpInput, UploadLimits } from './http-input';

/** The operations the gateway serves: the shared registry, plus what a test mounts. */
export const GATEWAY_OPERATIONS = Symbol('gateway-operations');

type LocalHandler = OperationMethod<object, unknown>;

interface FileAnswer {
  fileName: string;
  contentType: string;
  sha256: string;
  contentBase64: string;
}

/**
 * Serves every HTTP operation of the registry as a Fastify route derived from its declaration: who may call
 * it, where its input comes from, which status it answers. One request path for all of them:
 * authenticate → roles → rate limit → read and validate the input → the tenant is registered (unless the
 * operation says `tenant: 'any'`) → (Idempotency-Key) → the service over RPC, or the gateway's own
 * implementation → answer. Errors are thrown to the one problem+json filter.
 */
@Injectable()
export class OperationRouter implements OnModuleInit {
  private readonly local = new Map<string, LocalHandler>();
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
      }
    }
    const missing = this.operations.filter((op) => op.http && op.handler === 'gateway' && !this.local.has(op.name)).map((op) => op.name);
    if (missing.length) throw new Error(`the gateway has no implementation for: ${missing.join(', ')}`);
  }

  register(fastify: FastifyInstance): void {
    const schemas = new ClassSchemas();
    for (const op of this.operations) {
      if (!op.http) continue;
      const upload: UploadLimits = { maxBytes: this.config.UPLOAD_MAX_BYTES, jsonFields: objectFieldsOf(op, schemas) };
      const url = API_PREFIX + op.http.path.replace(/\{([^}]+)\}/g, ':$1');
      this.templates.push({ method: op.http.method, pattern: new RegExp(`^${API_PREFIX}${op.http.path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`) });
      const bodyLimit = op.http.maxBodyBytes !== undefined ? Math.min(op.http.maxBodyBytes, this.config.BODY_LIMIT_BYTES) : undefined;
      fastify.route({ method: op.http.method, url, ...(bodyLimit !== undefined ? { bodyLimit } : {}), handler: (req, reply) => this.serve(op, req, reply, upload) });
    }
  }

  /** The methods that a path answers to (for 405 and `Allow`); empty when no operation has the path. */
  allowedMethods(path: string): HttpMethod[] {
    const bare = path.split('?')[0];
    return this.templates.filter((t) => t.pattern.test(bare)).map((t) => t.method);
  }

  private async serve(op: Operation, req: FastifyRequest, reply: FastifyReply, upload: UploadLimits): Promise<unknown> {
    const http = op.http!;
    let ctx: RequestContext | undefined;
    if (op.roles !== 'public') {
      ctx = this.enter(req, await this.auth.authenticate(req));
      if (!mayCall(op, ctx)) throw forbidden(op);
      await this.rateLimiter.check(`t:${ctx.tenantId}`);
    } else {
      await this.rateLimiter.check(`ip:${req.ip}`);
    }
    const input = await validateDto(op.input, await readHttpInput(op, req, upload));
    // A public operation authenticates itself (the service checks the secret); the tenant comes with the request.
    ctx ??= this.enter(req, { tenantId: String((input as Record<string, unknown>)[http.auth!.tenantParameter]), actor: SYSTEM_ACTORS.webhook, roles: [], correlationId: String(req.id ?? randomUUID()) });
    // After the input, so that a webhook's tenant (a query parameter) is checked the same way as a token's.
    if (op.tenant !== 'any') {
      if (op.roles === 'public') {
        // An unauthenticated caller learns nothing of which tenants exist: an unknown one is a wrong secret.
        if (!(await this.tenants.isRegistered(ctx.tenantId, ctx.correlationId))) throw unauthenticated('the tenant or its secret is not valid');
      } else await this.tenants.assertRegistered(ctx);
    }

    const status = http.status ?? 200;
    const key = http.idempotent ? this.idempotency.keyOf(req.headers[IDEMPOTENCY_KEY_HEADER]) : undefined;
    const answer = key
      ? await this.idempotency.run(ctx, key, { method: req.method, path: req.url, fingerprint: fingerprintOf(op.name, input) }, status, () => this.dispatch(op, ctx!, input))
      : { status, body: await this.dispatch(op, ctx, input), replayed: false };
    if (answer.replayed) void reply.header('idempotent-replayed', 'true');
    if (http.download) return sendFile(reply, answer.body as FileAnswer);
    void reply.status(answer.status);
    return answer.body;
  }

  private enter(req: FastifyRequest, ctx: RequestContext): RequestContext {
    (req as unknown as Record<string, unknown>)[REQUEST_CONTEXT] = ctx;
    // The request's async context (opened by registerRequestContext) now knows the caller: log lines carry it.
    fillContext(ctx);
    return ctx;
  }

  private dispatch(op: Operation, ctx: RequestContext, input: object): Promise<unknown> {
    if (op.handler === 'gateway') return Promise.resolve(this.local.get(op.name)!(input, ctx));
    return this.rpc.call(op, ctx, input);
  }
}

function sendFile(reply: FastifyReply, file: FileAnswer): FastifyReply {
  const safeName = file.fileName.replace(/[^\w.\- ]/g, '_');
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${safeName}"`)
    .header('x-content-sha256', file.sha256)
    .send(Buffer.from(file.contentBase64, 'base64'));
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
