import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropDatabase, provision, withDatabase } from '../scripts/lib/provision';
import { SERVICES } from '../libs/dev/services';

/**
 * Provisioning (scripts/lib/provision.js) runs on every `npm start`, `npm test` and compose start, often
 * side by side on one server: it must be repeatable and safe to run concurrently.
 */
describe('provisioning', () => {
  const admin = process.env.CN_TEST_ADMIN_URL!;
  const names = [0, 1, 2].map(() => `cn_t_${process.env.CN_TEST_RUN_ID}_prov${randomBytes(3).toString('hex')}`);

  afterAll(async () => {
    for (const n of names) await dropDatabase(admin, n);
  });

  it('provisions several databases at once, and the same one twice at once, without errors', async () => {
    await Promise.all([provision(admin, names[0]), provision(admin, names[1]), provision(admin, names[2]), provision(admin, names[2])]);
    await provision(admin, names[0]);
  });

  it('gives each role its schema and search_path in each database', async () => {
    const c = new Client({ connectionString: withDatabase(admin, names[1]) });
    await c.connect();
    try {
      const { rows } = await c.query<{ nspname: string; owner: string }>(
        'SELECT n.nspname, r.rolname AS owner FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = ANY($1)',
        [SERVICES.map((s) => s.schema)],
      );
      expect(Object.fromEntries(rows.map((r) => [r.nspname, r.owner]))).toEqual(Object.fromEntries(SERVICES.map((s) => [s.schema, s.role])));
      const settings = await c.query<{ role: string; config: string[] }>(
        'SELECT r.rolname AS role, s.setconfig AS config FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1',
        [names[1]],
      );
      for (const s of SERVICES) {
        expect(settings.rows.find((r) => r.role === s.role)?.config).toContain(`search_path=${s.schema}`);
      }
    } finally {
      await c.end();
    }
  });
});
