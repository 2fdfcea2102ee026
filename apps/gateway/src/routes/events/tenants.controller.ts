import { Body, Controller, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateTenantDto } from '@app/shared/api/platform/tenants.dto';
import type { RequestContext } from '@app/shared/context/request-context';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';
import { ApiJsonBody } from '../tickets/openapi-body';

/** The tenant registry (owned by the events service). */
@ApiTags('platform')
@Controller('tenants')
export class TenantsController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Post()
  @Roles('platform_admin')
  @ApiOperation({ summary: 'Register a tenant; every service seeds its defaults from TENANT_CREATED' })
  @ApiJsonBody(CreateTenantDto)
  create(@Body() body: CreateTenantDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.tenants.create', ctx, body);
  }
}
