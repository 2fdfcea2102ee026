import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ProductionSecret, RefusedInProduction } from '@app/shared/config/production-guard';
import { ServiceConfig } from '@app/shared/config/service-config';
import { channelProviderSecretProblems, IsChannelProviders } from './providers/provider-chain';
import { IsProviderProfiles, profileSecretProblems } from './providers/provider-profiles';

/**
 * Provider endpoints and credentials are defaults for every tenant; `JTD_TENANT_PROVIDERS` (JSON: profile
 * name → the tenants it serves and partial overrides) lets a tenant's `provider_profile` point at its own
 * account. Secrets are only ever read from here and never logged or returned.
 */
export class JtdDispatcherConfig extends ServiceConfig {
  @Matches(/^https?:\/\/.+/)
  MSG91_BASE_URL = 'https://control.msg91.com';

  @Matches(/^https?:\/\/.+/)
  MSG91_WHATSAPP_BASE_URL = 'https://api.msg91.com';

  @IsString()
  @ProductionSecret()
  MSG91_AUTH_KEY = '';

  @IsString()
  MSG91_SENDER_EMAIL = 'no-reply@contractnest.example';

  @IsString()
  MSG91_SENDER_NAME = 'ContractNest';

  @IsString()
  MSG91_EMAIL_DOMAIN = 'contractnest.example';

  @IsString()
  MSG91_SMS_SENDER = 'CNTNST';

  @IsString()
  MSG91_WHATSAPP_NUMBER = '';

  @Matches(/^https?:\/\/.+/)
  FCM_BASE_URL = 'https://fcm.googleapis.com';

  @Matches(/^https?:\/\/.+/)
  FCM_TOKEN_URL = 'https://oauth2.googleapis.com/token';

  /** Service-account JSON (raw or base64). Empty → push jobs fail with a configuration error. */
  @IsString()
  @ProductionSecret()
  FCM_SERVICE_ACCOUNT = '';

  /** JSON object: profile → { tenants: [tenant ids], MSG91_AUTH_KEY?, MSG91_BASE_URL?, …, FCM_SERVICE_ACCOUNT? }. */
  @IsProviderProfiles()
  @RefusedInProduction((value) => (typeof value === 'string' ? profileSecretProblems(value) : undefined))
  JTD_TENANT_PROVIDERS = '{}';

  /**
   * JSON object: channel → its providers in the order they are tried, e.g.
   * `{ "sms": [{ "id": "msg91" }, { "id": "msg91-b", "adapter": "msg91", "credentials": { "MSG91_AUTH_KEY": "…" } },
   * { "id": "textbee", "adapter": "http-sms", "url": "https://…", "token": "…" }] }`. A channel not named keeps its one
   * provider (MSG91; FCM for push): today's behaviour.
   */
  @IsChannelProviders()
  @RefusedInProduction((value) => (typeof value === 'string' ? channelProviderSecretProblems(value) : undefined))
  JTD_CHANNEL_PROVIDERS = '{}';

  /** A provider's circuit opens after this many hard failures in a row (5xx, timeout, network; not 429, not 4xx). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  JTD_BREAKER_CONSECUTIVE_FAILURES = 5;

  /** Also open when more than this share (0–0.99) of the last JTD_BREAKER_WINDOW calls failed hard; 0: off. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(0.99)
  JTD_BREAKER_FAILURE_RATIO = 0;

  /** The calls the failure ratio looks at (and the fewest before it may open). */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  JTD_BREAKER_WINDOW = 20;

  /** How long an open circuit refuses calls before one probe goes through (half-open). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  JTD_BREAKER_COOLDOWN_MS = 30000;

  /**
   * Tenant ids as metric labels (cost, held and scheduled jobs per tenant). Off by default: every scraper of
   * /metrics would learn which tenants exist and how much each sends, and every tenant adds series.
   */
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  METRICS_TENANT_LABELS = false;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120000)
  PROVIDER_TIMEOUT_MS = 10000;

  /** How long a claimed job belongs to one replica; longer than the provider timeout. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  JTD_LEASE_MS = 60000;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  JTD_POLL_INTERVAL_MS = 1000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  JTD_BATCH_SIZE = 100;

  /**
   * Unacknowledged events the consumer may hold. Above the shared default (32) so the consumer's two
   * transactions both have work: with 32, the second mostly waited for the first one's acks, and job
   * creation from events was the pipeline's bottleneck.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  override EVENT_PREFETCH: number = 200;

  /** false: no background loop (tests drive `tick()` themselves with a fake clock). */
  @Transform(({ obj, key }) => (obj[key] === undefined ? true : String(obj[key]) === 'true'))
  @IsBoolean()
  JTD_WORKER_ENABLED = true;

  /** Upper bound of SMS segments a rendered message may take. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SMS_MAX_SEGMENTS = 4;

  @IsOptional()
  @IsString()
  JTD_WORKER_ID?: string;

  /**
   * How long a replica answers tenant configuration, templates and master data from its copy. Writes here
   * drop it at once and, by NOTIFY, in the other dispatchers; the TTL bounds a missed notification.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  JTD_CONFIG_CACHE_TTL_MS = 5000;

  /** How long a replica keeps the tenants' job status flows (they change only by migration or seeding). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  JTD_FLOW_CACHE_TTL_MS = 30000;
}
