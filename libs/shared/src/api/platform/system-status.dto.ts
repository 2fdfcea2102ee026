import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { SERVICES } from '../../rpc/rpc-request';
import { Describe } from '../../validation/decorators';

export class ReadinessView {
  @IsIn(['ok', 'error'])
  status!: 'ok' | 'error';

  @IsObject()
  @Describe('Each check (database, broker…) with status up or down, its latency and the error when down')
  checks!: Record<string, { status: 'up' | 'down'; error?: string; latencyMs: number }>;
}

/** What each service answers about itself. */
export class ServiceSelfStatus {
  @IsIn(SERVICES) name!: (typeof SERVICES)[number];
  @IsString() version!: string;
  @ValidateNested() @Type(() => ReadinessView) readiness!: ReadinessView;
  @IsISO8601() startedAt!: string;
  @IsInt() uptimeSeconds!: number;
}

export class ServiceStatusView {
  @IsIn(SERVICES) name!: string;
  @IsIn(['up', 'degraded', 'down']) @Describe('up: answered and ready; degraded: answered but not ready; down: no answer') status!: 'up' | 'degraded' | 'down';
  @IsOptional() @IsString() version?: string;
  @IsOptional() @ValidateNested() @Type(() => ReadinessView) readiness?: ReadinessView;
  @IsOptional() @IsISO8601() startedAt?: string;
  @IsOptional() @IsInt() uptimeSeconds?: number;
  @IsNumber() @Describe('Gateway → service → gateway over RabbitMQ, in milliseconds') roundTripMs!: number;
  @IsOptional() @IsString() errorCode?: string;
  @IsOptional() @IsString() error?: string;
}

export class GatewaySelfStatus {
  @IsString() name!: string;
  @IsString() version!: string;
  @ValidateNested() @Type(() => ReadinessView) readiness!: ReadinessView;
}

export class SystemStatusView {
  @IsIn(['ok', 'degraded']) status!: 'ok' | 'degraded';
  @ValidateNested() @Type(() => GatewaySelfStatus) gateway!: GatewaySelfStatus;
  @ValidateNested({ each: true }) @Type(() => ServiceStatusView) services!: ServiceStatusView[];
  @IsISO8601() checkedAt!: string;
}
