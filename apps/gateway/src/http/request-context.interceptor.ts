import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { RequestContext, runWithContext } from '@app/shared/context/request-context';
import { REQUEST_CONTEXT } from './request-context.decorator';

/**
 * Runs the handler inside the caller's context, so every log line it writes carries the correlation id.
 * `next.handle()` binds the rest of the chain to the async context it is called in (Nest wraps it in an
 * AsyncResource), so calling it inside the context is enough; no Observable of our own per request.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const ctx = context.switchToHttp().getRequest<Record<string, unknown>>()[REQUEST_CONTEXT] as RequestContext | undefined;
    if (!ctx) return next.handle();
    return runWithContext(ctx, () => next.handle());
  }
}
