import { Controller, INestApplication, Module } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { NoInput } from '@app/shared/api/platform/messaging.dto';
import { getTenantRegistration } from '@app/shared/api/platform/platform.operations';
import { TenantRef, TenantRegistrationView } from '@app/shared/api/platform/tenants.dto';
import { createServiceApp } from '@app/shared/app/create-service-app';
import { loadConfig } from '@app/shared/config/load-config';
import { ServiceConfig } from '@app/shared/config/service-config';
import { defineOperation, Operation } from '@app/shared/contract/operation';
import type { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { TestEnvironment } from '@app/shared/testing/test-environment';
import { QueryInt } from '@app/shared/validation/decorators';

/** What the probe service saw, so tests can check what crossed the wire. */
export const probeLog: { calls: Array<{ op: string; body: unknown; ctx: RequestContext }> } = { calls: [] };

/** The probe's tenant registry (the gateway asks it before serving a tenant): tests register their tenants here. */
export const probeTenants = new Set<string>();

export class ProbeCustomer {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;
}

export class CreateWidgetInput {
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  title!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  quantity!: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => ProbeCustomer)
  customer?: ProbeCustomer;
}

export class WidgetRef {
  @IsUUID()
  id!: string;
}

export class FailInput {
  @IsIn(['BOOM', ...Object.values(ErrorCode)])
  code!: string;
}

export class SlowInput {
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(10000)
  ms!: number;
}

export class EchoInput {
  @IsOptional()
  @IsInt()
  @Min(-1)
  @Max(1_000_000)
  i?: number;
}

export class UploadInput {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  title!: string;

  @IsOptional()
  @IsObject()
  file?: Record<string, unknown>;
}

export class ProbeEcho {
  @IsDefined() body!: unknown;
  @IsObject() ctx!: RequestContext;
}

const probe = { tag: 'probe', summary: 'probe', description: 'A stand-in operation for gateway tests.', errors: [] } as const;

export const probeCreateWidget = defineOperation({
  ...probe,
  name: 'probeCreateWidget',
  handler: 'events',
  input: CreateWidgetInput,
  output: ProbeEcho,
  roles: ['admin', 'agent'],
  http: { method: 'POST', path: '/probe/widgets', status: 201, idempotent: true },
});
export const probeGetWidget = defineOperation({
  ...probe,
  name: 'probeGetWidget',
  handler: 'events',
  input: WidgetRef,
  output: ProbeEcho,
  roles: ['admin', 'agent'],
  http: { method: 'GET', path: '/probe/widgets/{id}' },
});
export const probeFail = defineOperation({
  ...probe,
  name: 'probeFail',
  handler: 'events',
  input: FailInput,
  output: ProbeEcho,
  roles: ['admin', 'agent'],
  http: { method: 'GET', path: '/probe/fail' },
});
export const probeSlow = defineOperation({
  ...probe,
  name: 'probeSlow',
  handler: 'events',
  input: SlowInput,
  output: ProbeEcho,
  roles: ['admin', 'agent'],
  http: { method: 'GET', path: '/probe/slow' },
});
/** Declared for the events service, which does not implement it: the gateway and service are out of step. */
export const probeUnrouted = defineOperation({
  ...probe,
  name: 'probeUnrouted',
  handler: 'events',
  input: NoInput,
  output: ProbeEcho,
  roles: ['admin', 'agent'],
  http: { method: 'GET', path: '/probe/unrouted' },
});
/** Answered by the tickets service, which no test here starts. */
export const probeTickets = defineOperation({
  ...probe,
  name: 'probeTickets',
  handler: 'tickets',
  input: NoInput,
  output: ProbeEcho,
  roles: ['admin', 'agent'],
  http: { method: 'GET', path: '/probe/tickets' },
});

export const probeUpload = defineOperation({
  ...probe,
  name: 'probeUpload',
  handler: 'events',
  input: UploadInput,
  output: ProbeEcho,
  roles: ['admin', 'agent'],
  http: { method: 'POST', path: '/probe/uploads', status: 201, idempotent: true, upload: { field: 'file', description: 'any file' } },
});

/** RPC only: the gateway's client against the probe, without HTTP. */
export const probeEcho = defineOperation({ ...probe, name: 'probeEcho', handler: 'events', input: EchoInput, output: ProbeEcho, roles: ['admin', 'agent'] });

export const PROBE_OPERATIONS: readonly Operation[] = [probeCreateWidget, probeGetWidget, probeFail, probeSlow, probeUnrouted, probeTickets, probeUpload];

/** A stand-in for a service (it answers on the events RPC queue) with behaviours the gateway must map. */
@Controller()
class ProbeRpcController {
  @Handles(probeCreateWidget)
  create(body: CreateWidgetInput, ctx: RequestContext): ProbeEcho {
    probeLog.calls.push({ op: 'probeCreateWidget', body, ctx });
    return { body, ctx };
  }

  @Handles(probeGetWidget)
  get(body: WidgetRef, ctx: RequestContext): ProbeEcho {
    probeLog.calls.push({ op: 'probeGetWidget', body, ctx });
    return { body, ctx };
  }

  @Handles(probeEcho)
  echo(body: EchoInput, ctx: RequestContext): ProbeEcho {
    return { body, ctx };
  }

  @Handles(probeUpload)
  upload(body: UploadInput, ctx: RequestContext): ProbeEcho {
    probeLog.calls.push({ op: 'probeUpload', body, ctx });
    return { body: { title: body.title, sha256: body.file?.sha256 }, ctx };
  }

  @Handles(getTenantRegistration)
  tenant(body: TenantRef): TenantRegistrationView {
    probeLog.calls.push({ op: 'getTenantRegistration', body, ctx: undefined as never });
    return { id: body.id, registered: probeTenants.has(body.id) };
  }

  @Handles(probeFail)
  fail(body: FailInput): ProbeEcho {
    if (body.code === 'BOOM') throw new Error('database password is hunter2 at 10.0.0.7');
    if (body.code === 'VERSION_CONFLICT') throw DomainError.versionConflict(3, 5);
    throw new DomainError(body.code as ErrorCode, `probe failed with ${body.code}`);
  }

  @Handles(probeSlow)
  async slow(body: SlowInput): Promise<ProbeEcho> {
    probeLog.calls.push({ op: 'probeSlow', body, ctx: undefined as never });
    await new Promise((r) => setTimeout(r, body.ms));
    return { body: { slept: body.ms }, ctx: undefined as never };
  }
}

@Module({ controllers: [ProbeRpcController] })
class ProbeServiceModule {}

export async function startProbeService(env: TestEnvironment, extra: Record<string, string> = {}): Promise<INestApplication> {
  return createServiceApp({
    service: 'events',
    config: loadConfig(ServiceConfig, env.env('events', extra)),
    imports: [ProbeServiceModule],
    operations: [probeCreateWidget, probeGetWidget, probeFail, probeSlow, probeEcho, probeUpload, getTenantRegistration],
  });
}
