import { randomUUID } from 'node:crypto';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { TenantConfigRepository } from '../src/settings/tenant-config.repository';
import { GetSettingsUseCase } from '../src/settings/use-cases/get-settings.use-case';
import { UpdateSettingsUseCase } from '../src/settings/use-cases/update-settings.use-case';
import { TemplateRepository } from '../src/templates/template.repository';
import { FakeProvider } from './support/fake-provider';
import { JtdInstance, startDispatcher, userCtx } from './support/jtd-harness';

/** The per-replica config cache: a write in one replica reaches the other's cache on commit, not after the TTL. */
describe('JTD config cache across replicas', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let a: JtdInstance;
  let b: JtdInstance;
  const clock = new FixedClock(new Date('2030-01-01T00:00:00Z'));

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    // The loop runs (it holds the LISTEN connection); with the clock far ahead there is nothing to send.
    a = await startDispatcher(env, fake, clock, { JTD_WORKER_ENABLED: 'true', JTD_WORKER_ID: 'cache-a' });
    // B keeps its copies far beyond the test: what it sees must come from the notification.
    b = await startDispatcher(env, fake, clock, { JTD_WORKER_ENABLED: 'true', JTD_WORKER_ID: 'cache-b', JTD_CONFIG_CACHE_TTL_MS: String(10 * 60_000) });
  });

  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  it("drops a tenant's settings in the other replica when they change, and only that tenant's", async () => {
    const tenant = randomUUID();
    const other = randomUUID();
    const repoB = b.app.get(TenantConfigRepository);
    const cachedB = (tenantId: string) => repoB.cached(b.db.manager, tenantId);
    expect((await cachedB(tenant)).channelsEnabled.sms).toBe(false);
    const otherBefore = await cachedB(other);

    const current = await a.app.get(GetSettingsUseCase).execute(userCtx(tenant));
    await a.app.get(UpdateSettingsUseCase).execute(userCtx(tenant), { channelsEnabled: { sms: true }, version: current.version });
    await eventually(async () => expect((await cachedB(tenant)).channelsEnabled.sms).toBe(true), { timeoutMs: 3000, intervalMs: 20 });
    // The other tenant's entry was not reloaded: same object from the cache.
    expect(await cachedB(other)).toBe(otherBefore);
  });

  it('drops a changed tenant template in the other replica', async () => {
    const tenant = randomUUID();
    const templatesA = a.app.get(TemplateRepository);
    const created = (await a.db.transaction((tx) =>
      templatesA.insert(tx, tenant, {
        templateKey: 'visit_note',
        name: 'Visit note',
        channelCode: 'email',
        sourceTypeCode: 'service_reminder',
        subject: 'Visit',
        content: 'Hello {{customer_name}}',
        contentHtml: null,
        variables: ['customer_name'],
        providerTemplateId: null,
      }),
    ))!;
    const templatesB = b.app.get(TemplateRepository);
    const dbB = b.db.manager;
    expect((await templatesB.cachedById(dbB, tenant, created.id))!.content).toBe('Hello {{customer_name}}');
    expect((await templatesB.cachedResolve(dbB, tenant, 'email', 'service_reminder', 'visit_note'))!.id).toBe(created.id);
    // Another tenant cannot reach it through the cache either.
    expect(await templatesB.cachedById(dbB, randomUUID(), created.id)).toBeNull();

    await a.db.transaction((tx) => templatesA.update(tx, tenant, created.id, created.version, { content: 'Dear {{customer_name}}' }));
    await eventually(async () => expect((await templatesB.cachedById(dbB, tenant, created.id))!.content).toBe('Dear {{customer_name}}'), {
      timeoutMs: 3000,
      intervalMs: 20,
    });
  });
});
