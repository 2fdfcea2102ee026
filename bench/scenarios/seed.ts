import { signToken } from '../lib/auth';
import { BenchContext, SeedState } from '../lib/context';
import { NotAvailable } from '../lib/result';
import { activateContract, createContract, eventually, listEvents, route } from './contracts';

/** Platform routes are not tenant-scoped; the token still carries a tenant claim (the nil uuid). */
const PLATFORM_TENANT = '00000000-0000-0000-0000-000000000000';

/**
 * A tenant created through the gateway as a platform admin (every service seeds its defaults from
 * TENANT_CREATED), an admin token for it, and one activated contract of 1,000 visits whose events
 * the read and transition scenarios use.
 */
export async function seedTenant(b: BenchContext): Promise<SeedState> {
  if (!b.gateway) throw new NotAvailable('the gateway is not running');
  const platformToken = await signToken(b.jwtSecret, { tenantId: PLATFORM_TENANT, roles: ['platform_admin'], name: 'Bench Platform Admin' });
  const tenant = await route('create a tenant', () =>
    b.gateway!.json<{ id: string }>('POST', '/v1/tenants', platformToken, { name: `Bench ${b.namespace}`, timezone: 'Asia/Kolkata', locale: 'en-IN' }),
  );
  const adminToken = await signToken(b.jwtSecret, { tenantId: tenant.id, roles: ['admin'], name: 'Bench Admin' });
  await eventually(
    'the tenant status configuration',
    async () => {
      const res = await b.gateway!.request({ method: 'GET', path: '/v1/settings/event-statuses/service', headers: { authorization: `Bearer ${adminToken}` } });
      return res.status === 200 ? true : undefined;
    },
    30000,
  ).catch(() => undefined);

  const contractId = await createContract(b, adminToken, 1000, 'BENCH-SEED');
  await activateContract(b, adminToken, contractId);
  const events = await listEvents(b, adminToken, { contractId });
  const eventIds = events.filter((e) => e.type === 'service').map((e) => e.id);
  if (!eventIds.length) throw new Error(`activated contract ${contractId} lists no service events`);
  return { tenantId: tenant.id, adminToken, platformToken, eventIds, contractIds: [contractId], eventsInTenant: events.length };
}
