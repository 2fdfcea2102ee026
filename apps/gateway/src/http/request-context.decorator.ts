import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';

export const REQUEST_CONTEXT = 'cnContext';

/** The authenticated caller's context (tenant, actor, roles, correlation id), set by the auth guard. */
export const Ctx = createParamDecorator((_data: unknown, host: ExecutionContext): RequestContext => {
  const req = host.switchToHttp().getRequest();
  return req[REQUEST_CONTEXT] as RequestContext;
});
