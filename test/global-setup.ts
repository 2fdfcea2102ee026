import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ensureInfrastructure, ensureRedis } from '../scripts/lib/infra';
import { provision, withDatabase } from '../scripts/lib/provision';
import { rolePassword, SERVICES } from '../libs/dev/services';
import { serviceDataSourceOptions } from '../libs/shared/src/db/data-source-options';
import { EVENTS_ENTITIES, EVENTS_MIGRATIONS } from '../apps/events/src/data-source';
import { TICKETS_ENTITIES, TICKETS_MIGRATIONS } from '../apps/tickets/src/data-source';
import { JTD_ENTITIES, JTD_MIGRATIONS } from '../apps/jtd-dispatcher/src/data-source';
import { GATEWAY_ENTITIES, GATEWAY_MIGRATIONS } from '../apps/gateway/src/gateway-data-source';

const SCHEMAS: Record<string, { entities: Function[]; migrations: Function[] }> = {
  events: { entities: EVENTS_ENTITIES, migrations: EVENTS_MIGRATIONS },
  tickets: { entities: TICKETS_ENTITIES, migrations: TICKETS_MIGRATIONS },
  'jtd-dispatcher': { entities: JTD_ENTITIES, migrations: JTD_MIGRATIONS },
  gateway: { entities: GATEWAY_ENTITIES, migrations: GATEWAY_MIGRATIONS },
};

/**
 * Once per jest run: make sure Postgres, RabbitMQ and Redis are up, then build a migrated template database.
 * Each test file clones it (CREATE DATABASE … TEMPLATE, a fraction of a second) and gets its own broker
 * namespace, so test files — and parallel runs on one machine — never see each other's rows or messages.
 */
export default async function globalSetup(): Promise<void> {
  const { databaseUrl, amqpUrl } = await ensureInfrastructure(() => undefined);
  const redis = await ensureRedis(() => undefined);
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const template = `cn_tpl_${runId}`;
  await dropAbandonedDatabases(databaseUrl);
  await provision(databaseUrl, template);
  for (const service of SERVICES) {
    const own = SCHEMAS[service.name];
    if (!own) continue;
    const ds = new DataSource(
      serviceDataSourceOptions({
        schema: service.schema,
        databaseUrl: withDatabase(databaseUrl, template),
        user: service.role,
        password: rolePassword(service),
        entities: own.entities,
        migrations: own.migrations,
        poolSize: 1,
      }),
    );
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
  }
  process.env.CN_TEST_ADMIN_URL = databaseUrl;
  process.env.CN_TEST_AMQP_URL = amqpUrl;
  process.env.CN_TEST_REDIS_URL = redis.url;
  process.env.CN_TEST_RUN_ID = runId;
  process.env.CN_TEST_TEMPLATE = template;
}

/** Runs killed before their teardown leave databases behind; drop those older than a few hours. */
async function dropAbandonedDatabases(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'cn\\_tpl\\_%' OR datname LIKE 'cn\\_t\\_%'");
    const cutoff = Date.now() - 6 * 3600 * 1000;
    for (const { datname } of rows) {
      // Names carry the run id: base-36 start time followed by 6 hex characters.
      const runId = /^cn_(?:tpl|t)_([0-9a-z]+?)[0-9a-f]{6}(?:_|$)/.exec(datname)?.[1];
      const startedAt = runId ? parseInt(runId, 36) : NaN;
      if (Number.isFinite(startedAt) && startedAt < cutoff) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
      }
    }
  } finally {
    await client.end();
  }
}
