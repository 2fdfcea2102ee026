import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TestEnvironment } from './test-environment';

/**
 * A DataSource on the test's database as its superuser with one pooled connection of `client` (the class
 * under test), and `listener` called on every `message` of that connection's protocol (`readyForQuery` counts
 * round trips, `parseComplete` statements parsed).
 */
export async function oneConnectionDataSource(env: TestEnvironment, client: typeof Client, message: string, listener: () => void): Promise<DataSource> {
  const url = new URL(env.adminUrl);
  url.pathname = `/${env.database}`;
  const ds = await new DataSource({ type: 'postgres', url: url.toString(), extra: { max: 1, Client: client } }).initialize();
  const runner = ds.createQueryRunner();
  ((await runner.connect()) as { connection: { on(event: string, fn: () => void): void } }).connection.on(message, listener);
  await runner.release();
  return ds;
}
