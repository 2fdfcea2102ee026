import { DataSourceOptions } from 'typeorm';
import { fastRowTemplates } from './pg-row-template';
import { PreparingClient } from './prepared-statements';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { TypeOrmNestLogger } from './typeorm-logger';

export interface ServiceDataSourceInput {
  /** The service's schema; also the name of its migrations table's schema. */
  schema: string;
  databaseUrl: string;
  user: string;
  password: string;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  poolSize?: number;
}

/** Settings for a connection's session, as the `options` of its startup packet (`-c name=value …`). */
export function sessionOptions(settings: Readonly<Record<string, string>>): string {
  return Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
}

/**
 * One DataSource per service: its own schema, its own role, migrations only. The same options serve the
 * app at runtime (migrations at boot) and the tests.
 */
export function serviceDataSourceOptions(input: ServiceDataSourceInput): DataSourceOptions {
  fastRowTemplates();
  const url = new URL(input.databaseUrl);
  return {
    type: 'postgres',
    host: url.hostname,
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    username: input.user,
    password: input.password,
    schema: input.schema,
    entities: input.entities,
    migrations: input.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    // Extensions (pgcrypto) are the admin's job at provisioning; a service role may not create them.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    namingStrategy: new SnakeNamingStrategy(),
    // Client: a transaction's BEGIN rides with its first statement, and statements run again are prepared once.
    extra: { max: input.poolSize ?? 10, options: sessionOptions({ search_path: input.schema }), Client: PreparingClient },
    logging: ['error', 'warn', 'migration'],
    logger: new TypeOrmNestLogger(['error', 'warn', 'migration']),
  };
}
