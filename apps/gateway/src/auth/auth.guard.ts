import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { fillContext, RequestContext, Role } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { ObservabilityController } from '@app/shared/observability/observability.controller';
import { REQUEST_CONTEXT } from '../http/request-context.decorator';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { JwtVerifier, unauthenticated } from './jwt-verifier';

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); @Roles() narrows who may
 * call it. Builds the caller's RequestContext for @Ctx() and the request's async context (log lines).
 * Health and metrics stay open for probes.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (context.getClass() === ObservabilityController) return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;

    const req = context.switchToHttp().getRequest<FastifyRequest & Record<string, unknown>>();
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw unauthenticated('a bearer token is required');
    const caller = await this.verifier.verify(match[1]);

    const ctx: RequestContext = {
      tenantId: caller.tenantId,
      actor: { type: 'user', id: caller.userId, name: caller.name },
      roles: caller.roles,
      correlationId: String(req.id),
    };
    req[REQUEST_CONTEXT] = ctx;
    // The request's async context (opened by registerRequestContext) now knows the caller: log lines carry it.
    fillContext(ctx);

    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (allowed?.length && !allowed.some((r) => caller.roles.includes(r))) {
      throw new DomainError(ErrorCode.FORBIDDEN, `this action needs one of the roles: ${allowed.join(', ')}`);
    }
    return true;
  }
}
