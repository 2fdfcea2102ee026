import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { ProductionSecret, RefusedInProduction } from '@app/shared/config/production-guard';
import { BaseConfig } from '@app/shared/config/service-config';

export class GatewayConfig extends BaseConfig {
  /**
   * HS256 secret for development tokens; production sets JWT_JWKS_URL instead. Anyone holding a shared
   * secret can mint a token for any tenant and role, so production accepts HS256 only when told to.
   */
  @ValidateIf((c: GatewayConfig) => !c.JWT_JWKS_URL)
  @IsString()
  @MinLength(16)
  @ProductionSecret()
  @RefusedInProduction((secret, c) =>
    secret !== undefined && !c.JWT_JWKS_URL && c.JWT_ALLOW_HS256 !== true
      ? 'HS256 tokens signed with a shared secret: set JWT_JWKS_URL (RS256 from the identity provider), or JWT_ALLOW_HS256=true to accept HS256 on purpose'
      : undefined,
  )
  JWT_SECRET?: string;

  /** Production: accept HS256 tokens signed with JWT_SECRET although no JWT_JWKS_URL is set (explicit opt-in). */
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  JWT_ALLOW_HS256 = false;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  JWT_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  JWT_AUDIENCE?: string;

  /**
   * The longest lifetime a token may have (`exp - iat`, or `exp - now` without `iat`): a longer-lived one is
   * refused, so a leaked token cannot be used for years. Default 24 h.
   */
  @IsInt()
  @Min(60)
  @Max(31 * 86400)
  JWT_MAX_TTL_SECONDS: number = 86400;

  /** How long the gateway waits for a service before answering 504. */
  @IsInt()
  @Min(100)
  @Max(120000)
  RPC_TIMEOUT_MS: number = 5000;

  /** Requests per tenant per minute before 429. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE: number = 6000;

  /**
   * Redis shared by the gateway replicas for the rate limit (`redis://host:6379/0`); unset, each replica
   * counts on its own. Keys are prefixed with BROKER_NAMESPACE.
   */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  RATE_LIMIT_REDIS_URL?: string;

  /** The gateway's own role, for its schema `gateway` (idempotency keys only). */
  @IsString()
  DB_USER: string = 'cn_gateway';

  /** Required in production; development and tests fall back to the provisioning default. */
  @ValidateIf((c: GatewayConfig) => c.NODE_ENV === 'production' || c.DB_PASSWORD !== undefined)
  @IsString()
  @ProductionSecret()
  DB_PASSWORD?: string;

  /** Largest JSON body accepted (bytes) before 413. */
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES: number = 1_048_576;

  /** The operations console's build (index.html and assets/); default: `console` beside the compiled apps (dist/console). */
  @IsOptional()
  @IsString()
  CONSOLE_DIR?: string;

  /**
   * The shared file store (the same folder the tickets service is configured with): uploads are written
   * here as they stream in, downloads are streamed from here; only references travel over RPC.
   */
  @IsString()
  EVIDENCE_STORAGE_DIR: string = '.data/evidence';

  /** Largest uploaded file (evidence) accepted (bytes) before 413. */
  @IsInt()
  @Min(1024)
  UPLOAD_MAX_BYTES: number = 10_485_760;

  /** `GET /v1/stream`: changes of one object within this window become one message (0: none are merged). */
  @IsInt()
  @Min(0)
  @Max(10_000)
  STREAM_COALESCE_MS: number = 250;

  /** `GET /v1/stream`: a `: ping` comment this often, so proxies and browsers keep idle streams open. */
  @IsInt()
  @Min(100)
  @Max(300_000)
  STREAM_HEARTBEAT_MS: number = 15_000;

  /** `GET /v1/stream`: how long a replica keeps what it sent, for clients that reconnect (older ids get `reset`). */
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  STREAM_RESUME_WINDOW_MS: number = 300_000;

  /** `GET /v1/stream`: messages kept per tenant for resuming. */
  @IsInt()
  @Min(10)
  @Max(100_000)
  STREAM_RESUME_PER_TENANT: number = 1000;

  /** `GET /v1/stream`: messages kept for resuming in all (bounds the replica's memory whatever the tenants). */
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  STREAM_RESUME_MAX_MESSAGES: number = 20_000;

  /** `GET /v1/stream`: bytes a client may leave unread before it is dropped (with `reset`) as too slow. */
  @IsInt()
  @Min(1024)
  @Max(67_108_864)
  STREAM_CLIENT_BUFFER_BYTES: number = 262_144;

  /** `GET /v1/stream`: open streams per replica; more get 503. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  STREAM_MAX_CONNECTIONS: number = 10_000;
}

/** Outside production the gateway's role has the same default password as provisioning gives it. */
export function gatewayDbPassword(config: GatewayConfig): string {
  return config.DB_PASSWORD ?? process.env.CN_GATEWAY_PASSWORD ?? 'cn_gateway_dev';
}
