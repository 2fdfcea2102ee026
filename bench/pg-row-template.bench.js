// The row-template adapter's measurement (libs/shared/src/db/pg-row-template.ts, BENCHMARKS.md ninth round):
// CPU of one statement's RowDescription and one row in node-postgres, 31 columns, with pg's
// own Result#addFields and then with the adapter installed. No database: `node bench/pg-row-template.bench.js`.
const path = require('node:path');
require('../scripts/lib/require-ts').installTypeScriptRequire();
const Result = require('pg/lib/result');

// About as many columns as a contract event's read answers (its select list, assignees and tasks).
const NAMES = Array.from({ length: 31 }, (_, i) => `column${i}`);
const FIELDS = NAMES.map((name, i) => ({ name, dataTypeID: i % 3 ? 25 : 2950, format: 'text' }));
const ROW = NAMES.map(() => 'x');
const N = 100_000;

/** µs of this process's CPU per statement: a Result, its RowDescription, one row. */
function perStatement() {
  const t0 = process.cpuUsage();
  let k = 0;
  for (let i = 0; i < N; i++) {
    const r = new Result();
    r.addFields(FIELDS);
    k += r.parseRow(ROW).column0.length;
  }
  const t = process.cpuUsage(t0);
  if (k !== N) throw new Error('rows were not parsed');
  return (t.user + t.system) / N;
}

const rounds = (n) => Array.from({ length: n }, perStatement).map((us) => us.toFixed(2));
const before = rounds(5);
require(path.join(__dirname, '..', 'libs', 'shared', 'src', 'db', 'pg-row-template.ts')).fastRowTemplates();
const after = rounds(5);
console.log(`node-postgres, ${FIELDS.length} columns, µs of CPU per statement (5 rounds of ${N.toLocaleString('en')}):`);
console.log(`  pg's addFields      ${before.join('  ')}`);
console.log(`  plain-object template ${after.join('  ')}`);
