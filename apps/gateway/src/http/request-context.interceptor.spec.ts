import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer';
import { lastValueFrom, Observable } from 'rxjs';
import { currentContext, RequestContext } from '@app/shared/context/request-context';
import { REQUEST_CONTEXT } from './request-context.decorator';
import { RequestContextInterceptor } from './request-context.interceptor';

const ctx: RequestContext = { tenantId: 't-1', actor: { type: 'user', id: 'u-1', name: 'Ada' }, roles: ['admin'], correlationId: 'req-1' };

/** Runs a handler behind the interceptor the way Nest's router does. */
async function through(req: Record<string, unknown>, handler: () => Promise<unknown>): Promise<unknown> {
  const consumer = new InterceptorsConsumer();
  const result = await consumer.intercept([new RequestContextInterceptor()], [req, {}], { constructor: Object }, handler, handler, 'http');
  return lastValueFrom(result as Observable<unknown>);
}

describe('RequestContextInterceptor', () => {
  it('runs the handler, and whatever it awaits, inside the caller’s context', async () => {
    const seen = await through({ [REQUEST_CONTEXT]: ctx }, async () => {
      const before = currentContext()?.correlationId;
      await new Promise((r) => setTimeout(r, 1));
      return [before, currentContext()?.correlationId];
    });
    expect(seen).toEqual(['req-1', 'req-1']);
    expect(currentContext()).toBeUndefined();
  });

  it('leaves requests without a caller (public routes) outside any context', async () => {
    expect(await through({}, async () => currentContext())).toBeUndefined();
  });
});
