import { Controller } from '@nestjs/common';
import { createTenant, getTenantRegistration } from '@app/shared/api/platform/platform.operations';
import { CreateTenantDto, TenantRef } from '@app/shared/api/platform/tenants.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { CreateTenantUseCase } from './create-tenant.use-case';
import { GetTenantRegistrationUseCase } from './get-tenant-registration.use-case';

@Controller()
export class TenantsRpcController {
  constructor(
    private readonly createTenantUseCase: CreateTenantUseCase,
    private readonly registration: GetTenantRegistrationUseCase,
  ) {}

  @Handles(createTenant)
  create(body: CreateTenantDto, ctx: RequestContext) {
    return this.createTenantUseCase.execute(ctx, body);
  }

  @Handles(getTenantRegistration)
  registrationOf(body: TenantRef) {
    return this.registration.execute(body.id);
  }
}
