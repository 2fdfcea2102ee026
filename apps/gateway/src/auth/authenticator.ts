import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestContext } from '@app/shared/context/request-context';
import { JwtVerifier, unauthenticated } from './jwt-verifier';

/** Turns the bearer token of a request into the caller's context (401 when there is none or it is not valid). */
@Injectable()
export class Authenticator {
  constructor(private readonly verifier: JwtVerifier) {}

  async authenticate(req: FastifyRequest): Promise<RequestContext> {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw unauthenticated('a bearer token is required');
    const caller = await this.verifier.verify(match[1]);
    return {
      tenantId: caller.tenantId,
      actor: { type: 'user', id: caller.userId, name: caller.name },
      roles: caller.roles,
      correlationId: String(req.id),
    };
  }
}
