import { Controller } from '@nestjs/common';
import { createTenant } from '@app/shared/api/platform/platform.operations';
import { CreateTenantDto } from '@app/shared/api/platform/tenants.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { CreateTenantUseCase } from './create-tenant.use-case';

@Controller()
export class TenantsRpcController {
  constructor(private readonly createTenantUseCase: CreateTenantUseCase) {}

  @Handles(createTenant)
  create(body: CreateTenantDto, ctx: RequestContext) {
    return this.createTenantUseCase.execute(ctx, body);
  }
}
