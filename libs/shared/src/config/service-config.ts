import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { DEV_SEALED_FIELDS_KEY } from '../security/dev-defaults';
import { AMQP_URL_LIST } from '../messaging/amqp-urls';
import { brokerCredentialsProblem, ProductionSecret, RefusedInProduction } from './production-guard';

/** What every app needs: where Postgres and RabbitMQ are, and how to expose health and metrics. */
export class BaseConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  /** Host, port and database; the service's own role comes from DB_USER/DB_PASSWORD. */
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** One broker, or the nodes of a cluster comma-separated (messaging/amqp-urls.ts). */
  @Matches(AMQP_URL_LIST, { message: 'must be an amqp:// URL or a comma-separated list of them' })
  @RefusedInProduction(brokerCredentialsProblem)
  AMQP_URL!: string;

  /** Prefix of every exchange and queue name, so several stacks (or test runs) can share one broker. */
  @Matches(/^[a-z0-9][a-z0-9_-]*$/, { message: 'must be lower-case letters, digits, - or _' })
  BROKER_NAMESPACE = 'cn';

  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT!: number;

  @IsString()
  @IsOptional()
  HTTP_HOST = '127.0.0.1';

  /**
   * Unset in production. Ephemeral stacks (each test file, each bench run) set it so a queue whose stack
   * died without cleaning up is deleted by the broker after this long unused: leaked quorum queues pile
   * up Raft logs and file handles until a small broker stops accepting connections (seen here).
   */
  @IsOptional()
  @IsInt()
  @Min(10000)
  BROKER_QUEUE_EXPIRES_MS?: number;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * When set, `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise): metrics name
   * routes, tenants' traffic and internals. Production requires it unless METRICS_PUBLIC=true says that the
   * port is reachable by the scraper alone. Health endpoints stay open either way.
   */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @ProductionSecret()
  @RefusedInProduction((token, c) =>
    token === undefined && c.METRICS_PUBLIC !== true
      ? 'is required in production (or METRICS_PUBLIC=true to serve /metrics to anyone who reaches the port)'
      : undefined,
  )
  METRICS_TOKEN?: string;

  /** Production: serve /metrics without METRICS_TOKEN (explicit opt-in). */
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  METRICS_PUBLIC = false;
}

/** A service that owns a schema connects with its own role. */
export class ServiceConfig extends BaseConfig {
  @IsString()
  DB_USER!: string;

  @IsString()
  @ProductionSecret()
  DB_PASSWORD!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  RPC_PREFETCH: number = 32;

  /**
   * Events delivered and not yet acknowledged. 100: the consumer handles up to two batches of 50 at once
   * (event-consumer.ts), and under a backlog both should be full; at 32 each held 16, and the backbone's flood
   * backlogged at the consumer (p99 1.6 s; 2,224–2,260 → 2,327–2,412 events/s with 100, BENCHMARKS.md).
   */
  @IsInt()
  @Min(1)
  @Max(1000)
  EVENT_PREFETCH: number = 100;

  /** Delays (ms) of the retry stages of a failing event handler, before the dead-letter queue. */
  @Matches(/^\d+(,\d+)*$/, { message: 'must be comma-separated milliseconds' })
  EVENT_RETRY_DELAYS_MS = '5000,30000,300000';

  /**
   * Key (base64 of 32 bytes: `openssl rand -base64 32`) that seals the sensitive fields of event payloads
   * (security/sealed-fields.ts). Every service that emits or opens them needs the same one.
   */
  @Matches(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, { message: 'must be the base64 of 32 bytes (openssl rand -base64 32)' })
  @ProductionSecret()
  SEALED_FIELDS_KEY: string = DEV_SEALED_FIELDS_KEY;
}
