// Creates (idempotently) the database with one schema and one role per service. Used by the compose
// stack's one-shot `provision` service and by hand: DATABASE_URL=<admin url> node scripts/provision.js [db]
const { provision } = require('./lib/provision');

const adminUrl = process.env.DATABASE_URL;
const database = process.argv[2] || process.env.CN_DATABASE || 'contractnest';

if (!adminUrl) {
  console.error('provision: set DATABASE_URL to an admin (superuser) URL, e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres');
  process.exit(2);
}

(async () => {
  // In compose the server may accept TCP a moment before it accepts logins.
  for (let attempt = 1; ; attempt++) {
    try {
      await provision(adminUrl, database);
      console.log(`provision: database ${database} ready (one schema and role per service)`);
      return;
    } catch (e) {
      if (attempt >= 30 || !/ECONNREFUSED|starting up|ENOTFOUND|terminating/.test(String(e.message))) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
})().catch((e) => {
  console.error(`provision: ${e.message}`);
  process.exit(1);
});
