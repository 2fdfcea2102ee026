// The data-access measurement behind docs/ARCHITECTURE.md ("Data access"): one contract_events-like table,
// the same four operations through node-postgres, TypeORM (raw query, repository/entity, query builder), the
// project's sql.ts helper and Kysely. Sequential calls on one pooled connection, variants interleaved in
// rounds (median of ROUNDS): latency per call and CPU per call of this process (the part a library adds).
//   DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres node bench/data-access.bench.js
// Kysely is not a dependency: `npm i --no-save kysely` (or NODE_PATH to a directory that has it) to include it.
const path = require('node:path');
const { Pool, Client } = require('pg');
require('reflect-metadata');
const { DataSource, EntitySchema } = require('typeorm');
const { randomUUID } = require('node:crypto');
let Kysely, PostgresDialect;
try {
  ({ Kysely, PostgresDialect } = require('kysely'));
} catch {
  console.log('kysely is not installed: its variants are skipped');
}

/** libs/shared/src/db/sql.ts and what it imports, compiled on the fly with the project's swc settings. */
function loadHelper() {
  require('../scripts/lib/require-ts').installTypeScriptRequire();
  return require(path.join(__dirname, '..', 'libs', 'shared', 'src', 'db', 'sql.ts'));
}
const helper = loadHelper();

const ADMIN = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const DB = 'cn_dabench';
const URL_DB = (() => {
  const u = new URL(ADMIN);
  u.pathname = `/${DB}`;
  return u.toString();
})();
const N = Number(process.env.N ?? 2000);

const COLS = [
  'id',
  'tenant_id',
  'contract_id',
  'task_id',
  'event_type',
  'title',
  'status',
  'status_changed_at',
  'scheduled_date',
  'original_date',
  'sequence_number',
  'total_occurrences',
  'promise_key',
  'part_id',
  'promise_qty',
  'quantity',
  'is_unlimited',
  'amount',
  'amount_settled',
  'currency',
  'notes',
  'source',
  'version',
  'created_at',
  'updated_at',
];
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const SELECT = COLS.map((c) => (c === camel(c) ? c : `${c} AS "${camel(c)}"`)).join(', ');

const Event = new EntitySchema({
  name: 'Event',
  tableName: 'contract_events',
  columns: {
    id: { type: 'uuid', primary: true },
    tenantId: { type: 'uuid', name: 'tenant_id' },
    contractId: { type: 'uuid', name: 'contract_id' },
    taskId: { type: 'text', name: 'task_id' },
    eventType: { type: 'text', name: 'event_type' },
    title: { type: 'text' },
    status: { type: 'text' },
    statusChangedAt: { type: 'timestamptz', name: 'status_changed_at' },
    scheduledDate: { type: 'timestamptz', name: 'scheduled_date' },
    originalDate: { type: 'timestamptz', name: 'original_date' },
    sequenceNumber: { type: 'int', name: 'sequence_number', nullable: true },
    totalOccurrences: { type: 'int', name: 'total_occurrences', nullable: true },
    promiseKey: { type: 'text', name: 'promise_key', nullable: true },
    partId: { type: 'text', name: 'part_id', nullable: true },
    promiseQty: { type: 'int', name: 'promise_qty', nullable: true },
    quantity: { type: 'int' },
    isUnlimited: { type: 'boolean', name: 'is_unlimited' },
    amount: { type: 'numeric', nullable: true },
    amountSettled: { type: 'numeric', name: 'amount_settled' },
    currency: { type: 'text', nullable: true },
    notes: { type: 'text', nullable: true },
    source: { type: 'text' },
    version: { type: 'int' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
});

async function setup() {
  const admin = new Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const c = new Client({ connectionString: URL_DB });
  await c.connect();
  await c.query(`CREATE TABLE contract_events (
    id uuid PRIMARY KEY, tenant_id uuid NOT NULL, contract_id uuid NOT NULL, task_id text NOT NULL, event_type text NOT NULL, title text NOT NULL,
    status text NOT NULL, status_changed_at timestamptz NOT NULL, scheduled_date timestamptz NOT NULL, original_date timestamptz NOT NULL,
    sequence_number int, total_occurrences int, promise_key text, part_id text, promise_qty int, quantity int NOT NULL DEFAULT 1,
    is_unlimited boolean NOT NULL DEFAULT false, amount numeric(15,2), amount_settled numeric(15,2) NOT NULL DEFAULT 0, currency text, notes text,
    source text NOT NULL, version int NOT NULL DEFAULT 1, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
    CREATE INDEX ON contract_events (tenant_id, scheduled_date, id);`);
  await c.end();
}

const tenant = randomUUID();
const contract = randomUUID();
function rows(n, start = 0) {
  const now = new Date();
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    tenantId: tenant,
    contractId: contract,
    taskId: `TSK-${String(start + i).padStart(5, '0')}`,
    eventType: 'service',
    title: `Visit ${i}`,
    status: 'scheduled',
    statusChangedAt: now,
    scheduledDate: new Date(Date.UTC(2026, 0, 1) + (start + i) * 3600e3),
    originalDate: now,
    sequenceNumber: i,
    totalOccurrences: n,
    promiseKey: 'service:0',
    partId: null,
    promiseQty: null,
    quantity: 1,
    isUnlimited: false,
    amount: '100.00',
    amountSettled: '0',
    currency: 'INR',
    notes: null,
    source: 'system',
    version: 1,
    createdAt: now,
    updatedAt: now,
  }));
}

function unnestInsert(list) {
  const types = [
    'uuid',
    'uuid',
    'uuid',
    'text',
    'text',
    'text',
    'text',
    'timestamptz',
    'timestamptz',
    'timestamptz',
    'int',
    'int',
    'text',
    'text',
    'int',
    'int',
    'boolean',
    'numeric',
    'numeric',
    'text',
    'text',
    'text',
    'int',
    'timestamptz',
    'timestamptz',
  ];
  return {
    text: `INSERT INTO contract_events (${COLS.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
    values: COLS.map((c) => list.map((r) => r[camel(c)])),
  };
}

async function measure(label, fn, n = N) {
  for (let i = 0; i < Math.min(20, n); i++) await fn(i); // warm-up
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  const wall = Number(process.hrtime.bigint() - t0) / 1e3 / n;
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / n;
  return { label, wallUs: Math.round(wall), cpuUs: Math.round(cpu) };
}

async function main() {
  await setup();
  const pool = new Pool({ connectionString: URL_DB, max: 1 });
  const ds = await new DataSource({ type: 'postgres', url: URL_DB, entities: [Event], extra: { max: 1 }, logging: false }).initialize();
  const db = Kysely ? new Kysely({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: URL_DB, max: 1 }) }) }) : null;
  const seed = rows(10000);
  for (let i = 0; i < seed.length; i += 1000) {
    const q = unnestInsert(seed.slice(i, i + 1000));
    await pool.query(q.text, q.values);
  }
  const ids = seed.map((r) => r.id);
  const id = (i) => ids[(i * 7919) % ids.length];
  const results = [];
  const groups = [];
  const reg = (label, fn, n = N) => (label.includes('kysely') && !db ? undefined : groups.push({ label, fn, n }));
  const repo = ds.getRepository(Event);
  const byId = `SELECT ${SELECT} FROM contract_events WHERE tenant_id = $1 AND id = $2`;

  // 1. one row by key
  reg('read1  pg', (i) => pool.query(byId, [tenant, id(i)]));
  reg('read1  typeorm manager.query', (i) => ds.manager.query(byId, [tenant, id(i)]));
  reg('read1  typeorm queryRunner structured', async (i) => {
    const qr = ds.createQueryRunner();
    try {
      return await qr.query(byId, [tenant, id(i)], true);
    } finally {
      await qr.release();
    }
  });
  reg('read1  sql.ts maybeOne (outside a transaction)', (i) =>
    helper.maybeOne(ds.manager, helper.sql`SELECT ${helper.sql.raw(SELECT)} FROM contract_events WHERE tenant_id = ${tenant} AND id = ${id(i)}`),
  );
  reg('read1  typeorm repository.findOneBy', (i) => repo.findOneBy({ tenantId: tenant, id: id(i) }));
  reg('read1  typeorm queryBuilder.getOne', (i) =>
    repo
      .createQueryBuilder('e')
      .where('e.tenant_id = :t AND e.id = :id', { t: tenant, id: id(i) })
      .getOne(),
  );
  reg('read1  kysely', (i) => db.selectFrom('contract_events').selectAll().where('tenant_id', '=', tenant).where('id', '=', id(i)).executeTakeFirst());

  // 2. a page of 50 (keyset)
  const page = `SELECT ${SELECT} FROM contract_events WHERE tenant_id = $1 AND (scheduled_date, id) > ($2::timestamptz, $3::uuid) ORDER BY scheduled_date, id LIMIT 51`;
  const after = (i) => seed[(i * 131) % 9000];
  const M2 = Math.round(N / 4);
  reg('page50 pg', (i) => pool.query(page, [tenant, after(i).scheduledDate, after(i).id]), M2);
  reg('page50 typeorm manager.query', (i) => ds.manager.query(page, [tenant, after(i).scheduledDate, after(i).id]), M2);
  reg(
    'page50 sql.ts many',
    (i) =>
      helper.many(
        ds.manager,
        helper.sql`SELECT ${helper.sql.raw(SELECT)} FROM contract_events WHERE tenant_id = ${tenant} AND (scheduled_date, id) > (${after(i).scheduledDate}::timestamptz, ${after(i).id}::uuid) ORDER BY scheduled_date, id LIMIT 51`,
      ),
    M2,
  );
  reg(
    'page50 typeorm queryBuilder.getMany',
    (i) =>
      repo
        .createQueryBuilder('e')
        .where('e.tenant_id = :t AND (e.scheduled_date, e.id) > (:d::timestamptz, :id::uuid)', { t: tenant, d: after(i).scheduledDate, id: after(i).id })
        .orderBy('e.scheduled_date')
        .addOrderBy('e.id')
        .limit(51)
        .getMany(),
    M2,
  );
  reg(
    'page50 kysely',
    (i) =>
      db
        .selectFrom('contract_events')
        .selectAll()
        .where('tenant_id', '=', tenant)
        .where((eb) => eb(eb.refTuple('scheduled_date', 'id'), '>', eb.tuple(after(i).scheduledDate, after(i).id)))
        .orderBy('scheduled_date')
        .orderBy('id')
        .limit(51)
        .execute(),
    M2,
  );

  // 3. change one row's status in a transaction (what a move does to its row)
  const upd = `UPDATE contract_events SET status = $3, status_changed_at = $4, version = version + 1, updated_at = $4 WHERE tenant_id = $1 AND id = $2 RETURNING version`;
  const st = (i) => (i % 2 ? 'assigned' : 'scheduled');
  reg('move1  pg (BEGIN; UPDATE … RETURNING; COMMIT)', async (i) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(upd, [tenant, id(i), st(i), new Date()]);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
  });
  reg('move1  typeorm transaction + tx.query', (i) => ds.transaction((tx) => tx.query(upd, [tenant, id(i), st(i), new Date()])));
  reg('move1  typeorm transaction + sql.ts one()', (i) =>
    ds.transaction((tx) =>
      helper.one(
        tx,
        helper.sql`UPDATE contract_events SET status = ${st(i)}, status_changed_at = ${new Date()}, version = version + 1, updated_at = ${new Date()} WHERE tenant_id = ${tenant} AND id = ${id(i)} RETURNING version`,
      ),
    ),
  );
  reg('move1  typeorm transaction + findOne FOR UPDATE + save(entity)', (i) =>
    ds.transaction(async (tx) => {
      const e = await tx.getRepository(Event).findOne({ where: { tenantId: tenant, id: id(i) }, lock: { mode: 'pessimistic_write' } });
      e.status = st(i);
      e.statusChangedAt = new Date();
      e.version += 1;
      e.updatedAt = e.statusChangedAt;
      await tx.getRepository(Event).save(e);
    }),
  );
  reg('move1  typeorm transaction + queryBuilder.update', (i) =>
    ds.transaction((tx) =>
      tx
        .createQueryBuilder()
        .update(Event)
        .set({ status: st(i), statusChangedAt: new Date(), version: () => 'version + 1', updatedAt: new Date() })
        .where('tenant_id = :t AND id = :id', { t: tenant, id: id(i) })
        .returning('version')
        .execute(),
    ),
  );
  reg('move1  kysely transaction + updateTable', (i) =>
    db.transaction().execute((trx) =>
      trx
        .updateTable('contract_events')
        .set((eb) => ({ status: st(i), status_changed_at: new Date(), version: eb('version', '+', 1), updated_at: new Date() }))
        .where('tenant_id', '=', tenant)
        .where('id', '=', id(i))
        .returning('version')
        .executeTakeFirst(),
    ),
  );

  // 4. insert 200 rows (an activation's events)
  const M4 = Math.round(N / 20);
  let k = 20000;
  reg(
    'ins200 pg unnest (1 statement, 25 params)',
    () => {
      const q = unnestInsert(rows(200, (k += 200)));
      return pool.query(q.text, q.values);
    },
    M4,
  );
  reg(
    'ins200 typeorm manager.query unnest',
    () => {
      const q = unnestInsert(rows(200, (k += 200)));
      return ds.manager.query(q.text, q.values);
    },
    M4,
  );
  reg(
    'ins200 typeorm queryBuilder.insert().values(200) (5,000 params)',
    () =>
      ds
        .createQueryBuilder()
        .insert()
        .into(Event)
        .values(rows(200, (k += 200)))
        .execute(),
    M4,
  );
  reg('ins200 typeorm repository.insert(200)', () => repo.insert(rows(200, (k += 200))), M4);
  reg(
    'ins200 kysely insertInto.values(200) (5,000 params)',
    () =>
      db
        .insertInto('contract_events')
        .values(rows(200, (k += 200)).map((r) => Object.fromEntries(COLS.map((c) => [c, r[camel(c)]]))))
        .execute(),
    M4,
  );

  const ROUNDS = Number(process.env.ROUNDS ?? 5);
  const samples = new Map(groups.map((g) => [g.label, []]));
  for (let r = 0; r < ROUNDS; r++) for (const g of groups) samples.get(g.label).push(await measure(g.label, g.fn, Math.max(20, Math.round(g.n / ROUNDS))));
  const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [label, xs] of samples) results.push({ label, wallUs: med(xs.map((x) => x.wallUs)), cpuUs: med(xs.map((x) => x.cpuUs)) });
  for (const r of results) console.log(`${r.label.padEnd(72)} ${String(r.wallUs).padStart(7)} µs  cpu ${String(r.cpuUs).padStart(6)} µs`);
  await pool.end();
  await ds.destroy();
  await db?.destroy();
  const admin = new Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
