import { IsBoolean, IsISO8601, IsNotEmpty, IsOptional, IsString, IsTimeZone, IsUUID, Matches, MaxLength } from 'class-validator';

/** POST /v1/tenants (platform_admin). */
export class CreateTenantDto {
  /**
   * The tenant's id when it already has one elsewhere (a platform admin importing tenants names their ids);
   * generated when absent. An id that is already registered answers 409.
   */
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  /** IANA zone, e.g. `Asia/Kolkata`. */
  @IsTimeZone()
  timezone!: string;

  /** BCP 47, e.g. `en-IN`; defaults to `en-IN`. */
  @IsOptional()
  @IsString()
  @MaxLength(35)
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'locale must be a BCP 47 tag such as en-IN' })
  locale?: string;
}

export class TenantView {
  @IsUUID()
  id!: string;

  @IsString()
  name!: string;

  @IsTimeZone()
  timezone!: string;

  @IsString()
  locale!: string;

  @IsISO8601()
  createdAt!: string;
}

/** Which tenant the gateway asks the registry about. */
export class TenantRef {
  @IsUUID()
  id!: string;
}

/** Whether a tenant is in the registry (never an error: the gateway caches both answers). */
export class TenantRegistrationView {
  @IsUUID()
  id!: string;

  @IsBoolean()
  registered!: boolean;
}
