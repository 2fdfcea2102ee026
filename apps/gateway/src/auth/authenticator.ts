import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { STREAM_TOKEN_PARAMETER } from '@app/shared/contract/operation';
import { RequestContext } from '@app/shared/context/request-context';
import { isApiKey } from './api-keys';
import { JwtVerifier, unauthenticated } from './jwt-verifier';
import { MachineCredentials } from './machine-credentials';

/** Where a machine identity may send its key instead of `Authorization: Bearer`. */
export const API_KEY_HEADER = 'x-api-key';

export interface Caller {
  ctx: RequestContext;
  /** When the token expires (ms since the epoch). */
  expiresAt?: number;
}

/**
 * Turns the bearer token of a request into the caller's context (401 when there is none or it is not valid):
 * a JWT is a person (actor type user); an API key (`cnk_…`, as bearer or `X-Api-Key`) is a machine identity
 * acting as VaNi or as its integration (actor type vani or system) with the roles it was given.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly machines: MachineCredentials,
  ) {}

  async authenticate(req: FastifyRequest): Promise<RequestContext> {
    return (await this.caller(req)).ctx;
  }

  /**
   * The caller and when their token expires. `queryToken`: the token may also come as `?access_token=`
   * (event streams: a browser's EventSource cannot send headers); the header wins when both are there.
   */
  async caller(req: FastifyRequest, options: { queryToken?: boolean } = {}): Promise<Caller> {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const fromQuery = options.queryToken ? (req.query as Record<string, unknown> | undefined)?.[STREAM_TOKEN_PARAMETER] : undefined;
    const apiKey = req.headers[API_KEY_HEADER];
    const token =
      match?.[1] ??
      (typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : undefined) ??
      (typeof fromQuery === 'string' && fromQuery.length > 0 ? fromQuery : undefined);
    if (!token)
      throw unauthenticated(options.queryToken ? `a bearer token is required (header, or ?${STREAM_TOKEN_PARAMETER}=)` : 'a bearer token is required');
    if (isApiKey(token)) {
      const machine = await this.machines.verify(token);
      return { ctx: { tenantId: machine.tenantId, actor: machine.actor, roles: machine.roles, correlationId: String(req.id) } };
    }
    const caller = await this.verifier.verify(token);
    return {
      ctx: {
        tenantId: caller.tenantId,
        actor: { type: 'user', id: caller.userId, name: caller.name },
        roles: caller.roles,
        correlationId: String(req.id),
      },
      expiresAt: caller.expiresAt,
    };
  }
}
