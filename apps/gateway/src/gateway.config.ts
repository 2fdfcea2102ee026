import { IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { BaseConfig } from '@app/shared/config/service-config';

export class GatewayConfig extends BaseConfig {
  /** HS256 secret for development tokens; production sets JWT_JWKS_URL instead. */
  @ValidateIf((c: GatewayConfig) => !c.JWT_JWKS_URL)
  @IsString()
  @MinLength(16)
  JWT_SECRET?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  JWT_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  JWT_AUDIENCE?: string;

  /** How long the gateway waits for a service before answering 504. */
  @IsInt()
  @Min(100)
  @Max(120000)
  RPC_TIMEOUT_MS: number = 5000;

  /** Requests per tenant per minute before 429. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE: number = 6000;

  /** The gateway's own role, for its schema `gateway` (idempotency keys only). */
  @IsString()
  DB_USER: string = 'cn_gateway';

  /** Required in production; development and tests fall back to the provisioning default. */
  @ValidateIf((c: GatewayConfig) => c.NODE_ENV === 'production' || c.DB_PASSWORD !== undefined)
  @IsString()
  DB_PASSWORD?: string;

  /** Largest JSON body accepted (bytes) before 413. */
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES: number = 1_048_576;

  /** Largest uploaded file (evidence) accepted (bytes) before 413. */
  @IsInt()
  @Min(1024)
  UPLOAD_MAX_BYTES: number = 10_485_760;
}

/** Outside production the gateway's role has the same default password as provisioning gives it. */
export function gatewayDbPassword(config: GatewayConfig): string {
  return config.DB_PASSWORD ?? process.env.CN_GATEWAY_PASSWORD ?? 'cn_gateway_dev';
}
