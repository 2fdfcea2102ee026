// Creates a database with one schema and one role per service: each role owns its schema and has no
// rights on the others', so a service started with another's credentials cannot read its tables.
const { Client } = require('pg');
const { SERVICES, rolePassword } = require('../../libs/dev/services');

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function ensureRoles(adminUrl) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Roles are cluster-wide: parallel bring-ups (two test runs, npm start beside npm test) would otherwise
    // race on the same rows ("tuple concurrently updated"). The lock ends with the session.
    await client.query("SELECT pg_advisory_lock(hashtext('contractnest:provision-roles'))");
    for (const s of SERVICES) {
      const password = rolePassword(s).replace(/'/g, "''");
      // A role from an earlier bring-up keeps working, with the password this environment expects.
      try {
        await client.query(`CREATE ROLE ${s.role} LOGIN PASSWORD '${password}'`);
      } catch (e) {
        if (e.code !== '42710' && e.code !== '23505') throw e;
        await client.query(`ALTER ROLE ${s.role} LOGIN PASSWORD '${password}'`);
      }
    }
  } finally {
    await client.end();
  }
}

async function ensureDatabase(adminUrl, database, template) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      // 42P04 / 23505: another bring-up created it between the check and here.
      await client.query(`CREATE DATABASE "${database}"${template ? ` TEMPLATE "${template}"` : ''}`).catch((e) => {
        if (e.code !== '42P04' && e.code !== '23505') throw e;
      });
    }
  } finally {
    await client.end();
  }
}

async function ensureSchemas(adminUrl, database) {
  const client = new Client({ connectionString: withDatabase(adminUrl, database) });
  await client.connect();
  try {
    // IF NOT EXISTS is not safe against a concurrent creator (unique violation); one at a time per database.
    await client.query("SELECT pg_advisory_lock(hashtext('contractnest:provision-schemas'))");
    await client.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
    await client.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    await client.query(`REVOKE ALL ON DATABASE "${database}" FROM PUBLIC`);
    for (const s of SERVICES) {
      await client.query(`GRANT CONNECT ON DATABASE "${database}" TO ${s.role}`);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s.schema} AUTHORIZATION ${s.role}`);
      await client.query(`ALTER SCHEMA ${s.schema} OWNER TO ${s.role}`);
      await client.query(`REVOKE ALL ON SCHEMA ${s.schema} FROM PUBLIC`);
      await client.query(`ALTER ROLE ${s.role} IN DATABASE "${database}" SET search_path = ${s.schema}`);
    }
  } finally {
    await client.end();
  }
}

/** Idempotent: roles, database and schemas. */
async function provision(adminUrl, database) {
  await ensureRoles(adminUrl);
  await ensureDatabase(adminUrl, database);
  await ensureSchemas(adminUrl, database);
}

async function dropDatabase(adminUrl, database) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

module.exports = { provision, ensureRoles, ensureDatabase, ensureSchemas, dropDatabase, withDatabase };
