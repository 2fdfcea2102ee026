import { Client } from 'pg';
import { BenchContext } from '../lib/context';
import { measureHttp } from '../lib/autocannon-load';
import { msSince } from '../lib/latency';
import { waitForQuiet } from '../lib/proc-stats';
import { Measurement } from '../lib/result';
import { activateContract, createContract, route } from './contracts';
import { materialised } from './activation.scenario';

/**
 * Events per seeding contract: big enough to seed 100,000 in a minute or two, small enough that one
 * activation usually fits in the gateway's 5 s RPC timeout (a 504 is waited out, see activateContract).
 */
const PER_CONTRACT = 2500;

/**
 * Tops the tenant up to `cockpitEvents` events with real activations of 5,000-visit contracts (so the
 * rows, indexes and TaskIDs are what production has, no bench-only SQL), lets the services digest the
 * messages that caused, then drives GET /v1/cockpit over 1 and then 10 connections.
 */
export async function cockpitScenario(b: BenchContext): Promise<Measurement[]> {
  const seed = b.seed!;
  const token = seed.adminToken;
  await route('read the cockpit', () => b.gateway!.json('GET', '/v1/cockpit', token));

  const budgetMs = b.opts.quick ? 45000 : 600000;
  const t0 = process.hrtime.bigint();
  let seeded = 0;
  let gatewayTimeouts = 0;
  // Two activations at a time: one runs its transaction while the other's contract is created.
  const worker = async () => {
    while (seed.eventsInTenant < b.opts.cockpitEvents && msSince(t0) < budgetMs) {
      const want = Math.min(PER_CONTRACT, b.opts.cockpitEvents - seed.eventsInTenant);
      seed.eventsInTenant += want; // reserve, so two workers do not overshoot
      const id = await createContract(b, token, want, 'BENCH-COCKPIT');
      const answer = await activateContract(b, token, id);
      if (answer?.timedOutAtGateway) gatewayTimeouts++;
      const n = materialised(answer, want);
      seed.eventsInTenant += n - want;
      seeded += n;
      seed.contractIds.push(id);
    }
  };
  await Promise.all([worker(), worker()]);
  const seedMs = msSince(t0);
  b.log(`cockpit: tenant holds ${seed.eventsInTenant} events (${seeded} seeded in ${Math.round(seedMs / 1000)} s); waiting for the services to digest`);
  const quiet = await waitForQuiet(
    b.apps.map((a) => a.pid),
    { timeoutMs: b.opts.quick ? 10000 : 120000 },
  );

  const headers = { authorization: `Bearer ${token}` };
  // The goal is the latency one person sees opening the cockpit (1 connection); 10 connections show
  // how it holds up when several do at once.
  const load = (connections: number, key: string) =>
    measureHttp(b, {
      key,
      label: `GET /v1/cockpit, ${seed.eventsInTenant.toLocaleString('en-US')} events, ${connections} conn${connections > 1 ? 's' : ''}`,
      client: b.gateway!,
      connections,
      warmupMs: b.opts.warmupMs,
      durationMs: b.opts.durationMs,
      next: () => ({ method: 'GET', path: '/v1/cockpit', headers }),
    });
  // The counts are an index-only scan, which is only cheap once vacuum has set the visibility map. A server
  // with autovacuum on does that within about a minute of the load; with it off (as on the development
  // machine), the bench measures the fresh table as context and then vacuums, as autovacuum would.
  const fresh = (await autovacuumIsOn(b)) ? undefined : await load(1, 'gateway.cockpit.unvacuumed');
  if (fresh) await vacuumEvents(b);
  const [m, ...mCompared] = await load(1, 'gateway.cockpit');
  const many = await load(b.opts.connections, 'gateway.cockpit.concurrent');
  m.extra = {
    ...m.extra,
    eventsInTenant: seed.eventsInTenant,
    seededBy: `activations of ${PER_CONTRACT}-visit contracts through the gateway`,
    quietBeforeMeasure: quiet.quiet,
    vacuum: fresh ? 'autovacuum is off on this server: VACUUM ANALYZE ran before this measurement (see gateway.cockpit.unvacuumed)' : 'autovacuum on',
  };
  for (const f of fresh ?? []) f.label += ' (before vacuum)';
  return [
    ...(fresh ?? []),
    m,
    ...mCompared,
    ...many,
    {
      key: 'cockpit.seed-activations',
      label: `seed: activations of up to ${PER_CONTRACT} events, 2 at a time`,
      throughput: seeded ? (seeded / seedMs) * 1000 : 0,
      unit: 'events/s',
      count: seeded,
      durationMs: Math.round(seedMs),
      extra: { gatewayTimeouts },
    },
  ];
}

async function withBenchDb<T>(b: BenchContext, fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: b.databaseUrl });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

function autovacuumIsOn(b: BenchContext): Promise<boolean> {
  return withBenchDb(b, async (db) => (await db.query(`SHOW autovacuum`)).rows[0].autovacuum === 'on');
}

function vacuumEvents(b: BenchContext): Promise<void> {
  return withBenchDb(b, async (db) => {
    await db.query(`VACUUM (ANALYZE) events.contract_events`);
  });
}
