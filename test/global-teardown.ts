import { Client } from 'pg';

/** Drops the template and any database a crashed test file left behind. */
export default async function globalTeardown(): Promise<void> {
  const admin = process.env.CN_TEST_ADMIN_URL;
  const runId = process.env.CN_TEST_RUN_ID;
  if (!admin || !runId) return;
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2', [
      `cn_tpl_${runId}`,
      `cn_t_${runId}_%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
