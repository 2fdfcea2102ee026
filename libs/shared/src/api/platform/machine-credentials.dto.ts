import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Describe, Nullable } from '../../validation/decorators';

/** The roles a machine identity may hold: never admin or platform_admin (deny by default, name each one). */
export const MACHINE_ROLES = ['agent', 'technician', 'viewer'] as const;
/** Who a machine identity acts as: VaNi (the AI agent) or an integration (System). */
export const MACHINE_ACTOR_TYPES = ['vani', 'system'] as const;

/** POST /v1/machine-credentials */
export class CreateMachineCredentialDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Matches(/^\S(.*\S)?$/, { message: 'name must not start or end with spaces' })
  @Describe('What uses it, as audits show it for an integration', 'ERP sync')
  name!: string;

  @IsIn(MACHINE_ACTOR_TYPES)
  @Describe('vani: calls act as VaNi (changes have source vani); system: as this integration (source system)', 'vani')
  actorType!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MACHINE_ROLES.length)
  @ArrayUnique()
  @IsIn(MACHINE_ROLES, { each: true })
  @Describe('Exactly what it may do: agent, technician and/or viewer (never admin)', ['agent'])
  roles!: string[];
}

/** `{id}` of the machine credential routes. */
export class MachineCredentialIdParams {
  @IsUUID()
  @Describe('The machine credential')
  id!: string;
}

/** A machine identity as listed: never its secret. */
export class MachineCredentialView {
  @IsUUID() id!: string;
  @IsString() name!: string;
  @IsIn(MACHINE_ACTOR_TYPES) actorType!: string;
  @IsIn(MACHINE_ROLES, { each: true }) roles!: string[];
  @IsString() @Describe('The start of the key (cnk_ and 12 characters), to recognise it; not a secret') keyPrefix!: string;
  @IsUUID() @Describe('The admin who created it') createdBy!: string;
  @IsISO8601() createdAt!: string;
  @Nullable() @IsISO8601() @Describe('Its last accepted call (to the minute)') lastUsedAt!: string | null;
  @Nullable() @IsISO8601() revokedAt!: string | null;
}

/** The answer of creation: the only time the key is shown. */
export class CreatedMachineCredentialView extends MachineCredentialView {
  @IsString()
  @Describe('Send it as `Authorization: Bearer <apiKey>` (or `X-Api-Key`). Shown once: only its hash is kept; lose it and create another')
  apiKey!: string;
}

export class MachineCredentialListView {
  @ValidateNested({ each: true }) @Type(() => MachineCredentialView) @Describe('Newest first, revoked ones included') items!: MachineCredentialView[];
}
