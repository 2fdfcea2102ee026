import { Body, Controller, Get, INestApplication, Module, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, MinLength, ValidateNested } from 'class-validator';
import { createServiceApp } from '@app/shared/app/create-service-app';
import { loadConfig } from '@app/shared/config/load-config';
import { ServiceConfig } from '@app/shared/config/service-config';
import type { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
import { TestEnvironment } from '@app/shared/testing/test-environment';
import { Roles } from '../../src/auth/roles.decorator';
import { Ctx } from '../../src/http/request-context.decorator';
import { ServiceRpc } from '../../src/rpc/service-rpc';

/** What the probe service saw, so tests can check what crossed the wire. */
export const probeLog: { calls: Array<{ pattern: string; body: unknown; ctx: RequestContext }> } = { calls: [] };

export class CustomerDto {
  @IsString()
  @MinLength(1)
  name!: string;
}

export class CreateWidgetDto {
  @IsString()
  @MinLength(1)
  title!: string;

  @IsInt()
  @Min(1)
  quantity!: number;

  @ValidateNested()
  @Type(() => CustomerDto)
  @IsOptional()
  customer?: CustomerDto;
}

/** A stand-in for a service (it answers on the events RPC queue) with behaviours the gateway must map. */
@Controller()
class ProbeRpcController {
  @RpcHandler('events.probe.echo')
  echo(body: unknown, ctx: RequestContext) {
    probeLog.calls.push({ pattern: 'events.probe.echo', body, ctx });
    return { body, ctx };
  }

  @RpcHandler('events.probe.fail')
  fail(body: { code: string }) {
    if (body.code === 'BOOM') throw new Error('database password is hunter2 at 10.0.0.7');
    if (body.code === 'VERSION_CONFLICT') throw DomainError.versionConflict(3, 5);
    throw new DomainError(body.code as ErrorCode, `probe failed with ${body.code}`);
  }

  @RpcHandler('events.probe.slow')
  async slow(body: { ms: number }) {
    probeLog.calls.push({ pattern: 'events.probe.slow', body, ctx: undefined as never });
    await new Promise((r) => setTimeout(r, body.ms));
    return { slept: body.ms };
  }
}

@Module({ controllers: [ProbeRpcController] })
class ProbeServiceModule {}

export async function startProbeService(env: TestEnvironment, extra: Record<string, string> = {}): Promise<INestApplication> {
  return createServiceApp({ service: 'events', config: loadConfig(ServiceConfig, env.env('events', extra)), imports: [ProbeServiceModule] });
}

/** Gateway routes onto the probe service, shaped like the real route modules (thin, validated, → RPC). */
@ApiTags('probe')
@Controller('probe')
class ProbeRoutesController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Post('widgets')
  @Roles('admin', 'agent')
  create(@Body() body: CreateWidgetDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.probe.echo', ctx, body);
  }

  @Get('widgets/:id')
  get(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.probe.echo', ctx, { id });
  }

  @Get('fail')
  fail(@Query('code') code: string, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.probe.fail', ctx, { code });
  }

  @Get('slow')
  slow(@Query('ms') ms: string, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.probe.slow', ctx, { ms: Number(ms) });
  }

  @Get('unrouted')
  unrouted(@Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.probe.nobody-handles-this', ctx, {});
  }

  @Get('tickets')
  tickets(@Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.probe.echo', ctx, {});
  }
}

@Module({ controllers: [ProbeRoutesController] })
export class ProbeRoutesModule {}
