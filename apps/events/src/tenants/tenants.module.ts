import { Module } from '@nestjs/common';
import { CreateTenantUseCase } from './create-tenant.use-case';
import { GetTenantRegistrationUseCase } from './get-tenant-registration.use-case';
import { TenantDefaultsConsumer } from './tenant-defaults.consumer';
import { TenantRepository } from './tenant.repository';
import { TenantsRpcController } from './tenants.rpc.controller';

/** The tenant registry (this service owns it) and this service's per-tenant defaults. */
@Module({
  controllers: [TenantsRpcController],
  providers: [CreateTenantUseCase, GetTenantRegistrationUseCase, TenantDefaultsConsumer, TenantRepository],
})
export class TenantsModule {}
