import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { serviceDataSourceOptions } from '@app/shared/db/data-source-options';
import { runMigrationsExclusively } from '@app/shared/db/database.module';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { HealthService } from '@app/shared/observability/health.service';
import { GATEWAY_ENTITIES, GATEWAY_MIGRATIONS, GATEWAY_SCHEMA } from '../gateway-data-source';
import { GatewayConfig, gatewayDbPassword } from '../gateway.config';

const RETRY_MS = 2000;

/**
 * The gateway's small database (schema `gateway`, role cn_gateway). Only idempotent POSTs need it, so the
 * gateway boots and serves everything else while Postgres is unreachable, and keeps trying to connect
 * (migrating its schema when it gets there).
 */
@Injectable()
export class GatewayDatabase implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('GatewayDatabase');
  private readonly dataSource: DataSource;
  private ready: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    config: GatewayConfig,
    private readonly health: HealthService,
  ) {
    this.dataSource = new DataSource(
      serviceDataSourceOptions({
        schema: GATEWAY_SCHEMA,
        databaseUrl: config.DATABASE_URL,
        user: config.DB_USER,
        password: gatewayDbPassword(config),
        entities: GATEWAY_ENTITIES,
        migrations: GATEWAY_MIGRATIONS,
        poolSize: 5,
      }),
    );
  }

  async onModuleInit() {
    this.health.register('database', async () => {
      if (!this.dataSource.isInitialized) throw new Error('not connected to PostgreSQL');
      await this.dataSource.query('SELECT 1');
    });
    await this.connect();
  }

  /** Runs a query once connected; while the database is unreachable the caller gets 503. */
  async query<T = unknown>(sql: string, params: unknown[]): Promise<T[]> {
    if (!this.dataSource.isInitialized) {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'idempotency keys cannot be checked right now; retry later');
    }
    return this.dataSource.query(sql, params);
  }

  private connect(): Promise<void> {
    this.ready ??= (async () => {
      try {
        await this.dataSource.initialize();
        await runMigrationsExclusively(this.dataSource, this.logger);
      } catch (e) {
        this.logger.warn(`gateway database unavailable (${(e as Error).message}); retrying in ${RETRY_MS} ms`);
        if (this.dataSource.isInitialized) await this.dataSource.destroy().catch(() => undefined);
        this.ready = undefined;
        if (!this.closed) {
          this.retry = setTimeout(() => void this.connect(), RETRY_MS);
          this.retry.unref();
        }
      }
    })();
    return this.ready;
  }

  async onApplicationShutdown() {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.dataSource.isInitialized) await this.dataSource.destroy().catch(() => undefined);
  }
}
