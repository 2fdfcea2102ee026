import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { ServiceRpc } from '../rpc/service-rpc';
import { REGISTERED_TENANT_TTL_MS, TENANT_CACHE_SIZE, TenantRegistry, UNKNOWN_TENANT_TTL_MS } from './tenant-registry';

/** A registry whose events service knows `registered` (and is down while `down` is set). */
function registryOf(registered: Set<string>) {
  const asked: Array<{ id: string; ctx: RequestContext }> = [];
  const state = { down: false };
  const rpc = {
    call: async (_op: unknown, ctx: RequestContext, input: { id: string }) => {
      asked.push({ id: input.id, ctx });
      await Promise.resolve();
      if (state.down) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'the events service is not running');
      return { id: input.id, registered: registered.has(input.id) };
    },
  } as unknown as ServiceRpc;
  return { registry: new TenantRegistry(rpc, new MetricsService()), asked, state };
}

const ctxOf = (tenantId: string): RequestContext => ({
  tenantId,
  actor: { type: 'user', id: randomUUID(), name: 'A' },
  roles: ['admin'],
  correlationId: 'c-1',
});

describe('TenantRegistry', () => {
  const known = randomUUID();
  const stranger = randomUUID();

  it('lets a registered tenant through and refuses an unknown one with 403 TENANT_UNKNOWN', async () => {
    const { registry, asked } = registryOf(new Set([known]));
    await expect(registry.assertRegistered(ctxOf(known))).resolves.toBeUndefined();
    await expect(registry.assertRegistered(ctxOf(stranger))).rejects.toMatchObject({ code: ErrorCode.TENANT_UNKNOWN });
    // The registry is asked as the platform (the caller's roles need not include platform_admin).
    expect(asked[0].ctx).toMatchObject({ tenantId: known, actor: SYSTEM_ACTORS.system, roles: ['platform_admin'], correlationId: 'c-1' });
  });

  it('remembers a registered tenant for minutes and an unknown one for seconds', async () => {
    const tenants = new Set([known]);
    const { registry, asked } = registryOf(tenants);
    const t0 = 1_000_000;
    await registry.isRegistered(known, 'c', t0);
    await registry.isRegistered(stranger, 'c', t0);
    await registry.isRegistered(known, 'c', t0 + REGISTERED_TENANT_TTL_MS - 1);
    await registry.isRegistered(stranger, 'c', t0 + UNKNOWN_TENANT_TTL_MS - 1);
    expect(asked).toHaveLength(2);
    // Registered meanwhile: known as soon as the short memory of "unknown" has passed.
    tenants.add(stranger);
    expect(await registry.isRegistered(stranger, 'c', t0 + UNKNOWN_TENANT_TTL_MS)).toBe(true);
    await registry.isRegistered(known, 'c', t0 + REGISTERED_TENANT_TTL_MS);
    expect(asked).toHaveLength(4);
  });

  it('asks once for many concurrent requests of the same tenant', async () => {
    const { registry, asked } = registryOf(new Set([known]));
    const answers = await Promise.all(Array.from({ length: 20 }, () => registry.isRegistered(known, 'c')));
    expect(answers.every(Boolean)).toBe(true);
    expect(asked).toHaveLength(1);
  });

  it('keeps serving a tenant it knew as registered while the registry cannot be asked, and no other', async () => {
    const { registry, state } = registryOf(new Set([known]));
    const t0 = 1_000_000;
    await registry.isRegistered(known, 'c', t0);
    state.down = true;
    expect(await registry.isRegistered(known, 'c', t0 + REGISTERED_TENANT_TTL_MS + 1)).toBe(true);
    await expect(registry.isRegistered(stranger, 'c', t0)).rejects.toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
  });

  it('remembers a bounded number of tenants', async () => {
    const { registry, asked } = registryOf(new Set());
    const first = randomUUID();
    await registry.isRegistered(first, 'c', 0);
    for (let i = 0; i < TENANT_CACHE_SIZE; i++) await registry.isRegistered(randomUUID(), 'c', 0);
    const before = asked.length;
    await registry.isRegistered(first, 'c', 0);
    expect(asked.length).toBe(before + 1);
  });
});
