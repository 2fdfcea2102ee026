import { Client } from 'pg';

/**
 * Bulk-inserts `n` events for one tenant with generate_series (cockpit and list load tests): the three
 * types, statuses spread over every bucket, dates from a year back to a year ahead.
 */
export async function seedEvents(db: Client, tenantId: string, contractId: string, n: number): Promise<void> {
  await db.query(
    `INSERT INTO contract_events (id, tenant_id, contract_id, task_id, event_type, title, status, scheduled_date, original_date, amount, currency, source)
     SELECT gen_random_uuid(), $1, $2, 'TSK-L' || lpad(g::text, 7, '0'),
            (ARRAY['service','spare_part','billing'])[1 + g % 3],
            'Load event ' || g,
            CASE g % 3
              WHEN 0 THEN (ARRAY['scheduled','due','assigned','in_progress','completed','cancelled','overdue'])[1 + (g / 3) % 7]
              WHEN 1 THEN (ARRAY['scheduled','due','ordered','shipped','installed','cancelled','overdue'])[1 + (g / 3) % 7]
              ELSE (ARRAY['scheduled','due','invoice_generated','partial_payment','paid','cancelled','overdue'])[1 + (g / 3) % 7]
            END,
            now() + ((g % 730) - 365) * interval '1 day',
            now() + ((g % 730) - 365) * interval '1 day',
            CASE WHEN g % 3 = 2 THEN 1000.00 END, CASE WHEN g % 3 = 2 THEN 'INR' END, 'system'
     FROM generate_series(1, $3::int) AS g`,
    [tenantId, contractId, n],
  );
  // steady state: autovacuum has set the visibility map, so counts are index-only scans
  await db.query('VACUUM ANALYZE contract_events');
}
