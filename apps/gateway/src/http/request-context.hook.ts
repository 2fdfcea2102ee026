import type { FastifyInstance } from 'fastify';
import { runWithPendingContext } from '@app/shared/context/request-context';

/**
 * Every request's handler runs in an async context of its own (filled by the auth guard once the caller is
 * known), so every log line it causes carries the correlation id. A fastify hook rather than a global Nest
 * interceptor: any global interceptor puts Nest's rxjs interceptor chain (with an AsyncResource per step)
 * on every request, which was the largest share of the gateway's allocations on a plain GET.
 * preHandler, not onRequest: the body is read by then, and its stream events would not carry the context.
 */
export function registerRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (_req, _reply, done) => runWithPendingContext(() => done()));
}
