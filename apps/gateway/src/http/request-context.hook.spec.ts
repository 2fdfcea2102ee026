import Fastify from 'fastify';
import { currentContext, fillContext, RequestContext } from '@app/shared/context/request-context';
import { registerRequestContext } from './request-context.hook';

const ctxOf = (id: string): RequestContext => ({
  tenantId: `t-${id}`,
  actor: { type: 'user', id: `u-${id}`, name: 'Ada' },
  roles: ['admin'],
  correlationId: id,
});

describe('registerRequestContext', () => {
  it('gives each request a context of its own that the handler fills and everything it awaits sees', async () => {
    const fastify = Fastify();
    registerRequestContext(fastify);
    fastify.post<{ Body: { id: string; wait: number } }>('/echo', async (req) => {
      const before = currentContext()?.correlationId ?? null;
      fillContext(ctxOf(req.body.id));
      await new Promise((r) => setTimeout(r, req.body.wait));
      return { before, after: currentContext()?.correlationId };
    });
    try {
      // The slow request is filled first; the fast one, filled later, must not change what the slow one sees.
      const [slow, fast] = await Promise.all([
        fastify.inject({ method: 'POST', url: '/echo', payload: { id: 'slow', wait: 30 } }),
        fastify.inject({ method: 'POST', url: '/echo', payload: { id: 'fast', wait: 1 } }),
      ]);
      expect(slow.json()).toEqual({ before: null, after: 'slow' });
      expect(fast.json()).toEqual({ before: null, after: 'fast' });
      expect(currentContext()).toBeUndefined();
    } finally {
      await fastify.close();
    }
  });

  it('has no slot to fill outside a request', () => {
    expect(fillContext(ctxOf('x'))).toBe(false);
    expect(currentContext()).toBeUndefined();
  });
});
