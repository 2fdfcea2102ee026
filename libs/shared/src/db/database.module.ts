import { DynamicModule, Global, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, MixedList } from 'typeorm';
import { ServiceConfig } from '../config/service-config';
import { HealthService } from '../observability/health.service';
import { serviceDataSourceOptions } from './data-source-options';
import { DataSourceTransactions, Transactions } from './transactions';

export interface DatabaseModuleOptions {
  schema: string;
  entities: MixedList<Function>;
  migrations: MixedList<Function>;
}

@Injectable()
class DatabaseLifecycle implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthService,
  ) {}

  async onModuleInit() {
    this.health.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
    await runMigrationsExclusively(this.dataSource, this.logger);
  }
}

/**
 * Migrations run at boot, one replica at a time (an advisory lock keyed on the schema), so a fresh stack
 * needs no separate step and two replicas starting together cannot both apply the same migration.
 */
export async function runMigrationsExclusively(dataSource: DataSource, logger?: Logger): Promise<void> {
  const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) logger?.log(`applied ${applied.length} migration(s) to ${schema}: ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]).catch(() => undefined);
    await runner.release();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forService(opts: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) =>
            serviceDataSourceOptions({
              schema: opts.schema,
              databaseUrl: config.DATABASE_URL,
              user: config.DB_USER,
              password: config.DB_PASSWORD,
              entities: opts.entities,
              migrations: opts.migrations,
            }),
        }),
      ],
      providers: [DatabaseLifecycle, { provide: Transactions, inject: [DataSource], useFactory: (ds: DataSource) => new DataSourceTransactions(ds) }],
      exports: [TypeOrmModule, Transactions],
    };
  }
}
