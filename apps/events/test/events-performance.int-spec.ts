import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { getCockpit } from '@app/shared/api/events/cockpit-settings.operations';
import { listEvents } from '@app/shared/api/events/contract-events.operations';
import { CockpitView } from '@app/shared/api/events/contract-events.views';
import { activateContract, createContract } from '@app/shared/api/events/contracts.operations';
import { contractInput } from './support/contract-factory';
import { EventsHarness, startEventsHarness } from './support/events-harness';
import { seedEvents } from './support/seed-events';

/** A node of PostgreSQL's EXPLAIN (FORMAT JSON) plan. */
interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Heap Fetches'?: number;
  Plans?: PlanNode[];
}

/**
 * Measures (does not assert on speed): activation of 1,000 and 5,000 events, and the cockpit over 100,000
 * events. Figures go to $TMPDIR/events-performance.json.
 */
describe('events service at volume', () => {
  let h: EventsHarness;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    h = await startEventsHarness();
  });

  afterAll(async () => {
    writeFileSync(join(tmpdir(), 'events-performance.json'), JSON.stringify(figures, null, 2));
    await h?.close();
  });

  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t = process.hrtime.bigint();
    const r = await fn();
    return [r, Number(process.hrtime.bigint() - t) / 1e6];
  };

  it('activates contracts of 1,000 and 5,000 events in one transaction with their outbox rows', async () => {
    for (const n of [1000, 5000]) {
      const tenantId = randomUUID();
      const c = await h.rpc.ok(createContract, contractInput({ services: [{ name: 'Visit', quantity: n }] }), { tenantId });
      const [active, ms] = await timed(() => h.rpc.ok(activateContract, { id: c.id }, { tenantId }));
      expect(active.totalEvents).toBe(n);
      figures[`activate_${n}_events_ms`] = Math.round(ms);
      const rows = await h.db.query(
        `SELECT (SELECT count(*)::int FROM contract_events WHERE contract_id = $1) AS events,
                (SELECT sum(jsonb_array_length(payload->'events'))::int FROM outbox WHERE tenant_id = $2 AND type = 'CONTRACT_EVENTS_CREATED') AS created,
                (SELECT max(task_id) FROM contract_events WHERE contract_id = $1) AS last`,
        [c.id, tenantId],
      );
      expect(rows.rows[0]).toEqual({ events: n, created: n, last: `TSK-${String(n).padStart(5, '0')}` });
    }
  });

  it('answers the cockpit over 100,000 events with two index-driven queries', async () => {
    const tenantId = randomUUID();
    const c = await h.rpc.ok(createContract, contractInput(), { tenantId });
    await seedEvents(h.db, tenantId, c.id, 100_000);
    // noise from other tenants in the same table
    await seedEvents(h.db, randomUUID(), c.id, 20_000);

    const samples: number[] = [];
    let cockpit!: CockpitView;
    for (let i = 0; i < 12; i++) {
      const [r, ms] = await timed(() => h.rpc.ok(getCockpit, {}, { tenantId }));
      cockpit = r;
      samples.push(ms);
    }
    const total = Object.values(cockpit.types).reduce((s, t) => s + t.total, 0);
    expect(total).toBe(100_000);
    expect(cockpit.types.service.overdue).toHaveLength(10);
    expect(cockpit.types.billing.nextUp).toHaveLength(10);
    const sorted = samples.slice(2).sort((a, b) => a - b);
    figures.cockpit_rpc_ms = { median: Math.round(sorted[Math.floor(sorted.length / 2)]), max: Math.round(sorted[sorted.length - 1]) };

    const explain = async (sql: string, params: unknown[]) => {
      const r = await h.db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
      const plan = r.rows[0]['QUERY PLAN'][0];
      const nodes: string[] = [];
      const walk = (n: PlanNode) => {
        nodes.push(
          `${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}${n['Heap Fetches'] !== undefined ? ` (heap fetches ${n['Heap Fetches']})` : ''}`,
        );
        (n.Plans ?? []).forEach(walk);
      };
      walk(plan.Plan);
      return { executionMs: plan['Execution Time'], planningMs: plan['Planning Time'], plan: nodes };
    };
    figures.cockpit_counts_explain = await explain(
      `SELECT event_type, status, count(*)::int FROM contract_events WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR scheduled_date >= $2) AND ($3::timestamptz IS NULL OR scheduled_date <= $3) GROUP BY event_type, status`,
      [tenantId, null, null],
    );
    figures.cockpit_overdue_list_explain = await explain(
      `SELECT id FROM contract_events WHERE tenant_id = $1 AND event_type = 'service' AND status = ANY($2::text[]) ORDER BY scheduled_date, id LIMIT 10`,
      [tenantId, ['overdue']],
    );
    figures.cockpit_next_up_explain = await explain(
      `SELECT id FROM contract_events WHERE tenant_id = $1 AND event_type = 'service' AND status = ANY($2::text[]) AND scheduled_date >= now() ORDER BY scheduled_date, id LIMIT 10`,
      [tenantId, ['scheduled', 'due', 'assigned']],
    );
    const [page, listMs] = await timed(() => h.rpc.ok(listEvents, { type: 'billing', status: 'overdue', limit: 50 }, { tenantId }));
    expect(page.items).toHaveLength(50);
    figures.event_list_filtered_rpc_ms = Math.round(listMs);
  });
});
