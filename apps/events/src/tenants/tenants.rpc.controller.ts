import { Controller } from '@nestjs/common';
import { CreateTenantDto } from '@app/shared/api/platform/tenants.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
import { CreateTenantUseCase } from './create-tenant.use-case';

@Controller()
export class TenantsRpcController {
  constructor(private readonly createTenant: CreateTenantUseCase) {}

  @RpcHandler('events.tenants.create', CreateTenantDto)
  create(body: CreateTenantDto, ctx: RequestContext) {
    // The gateway checks roles too; the service does not trust a caller it cannot see.
    if (!ctx.roles?.includes('platform_admin')) throw new DomainError(ErrorCode.FORBIDDEN, 'creating tenants needs the platform_admin role');
    return this.createTenant.execute(ctx, body);
  }
}
