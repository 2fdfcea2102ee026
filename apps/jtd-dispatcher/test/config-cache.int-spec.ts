import { randomUUID } from 'node:crypto';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { JtdConfigCache } from '../src/settings/jtd-config-cache';
import { JtdSettingsService } from '../src/settings/jtd-settings.service';
import { TenantConfigRepository } from '../src/settings/tenant-config.repository';
import { TemplatesRepository } from '../src/templates/templates.repository';
import { FakeJtdClock } from '../src/time/clock';
import { FakeProvider } from './support/fake-provider';
import { JtdInstance, startDispatcher } from './support/jtd-harness';

/** The per-replica config cache: a write in one replica reaches the other's cache on commit, not after the TTL. */
describe('JTD config cache across replicas', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let a: JtdInstance;
  let b: JtdInstance;
  const clock = new FakeJtdClock(new Date('2030-01-01T00:00:00Z'));

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    // The loop runs (it holds the LISTEN connection); with the clock far ahead there is nothing to send.
    a = await startDispatcher(env, fake, clock, { JTD_WORKER_ENABLED: 'true', JTD_WORKER_ID: 'cache-a' });
    b = await startDispatcher(env, fake, clock, { JTD_WORKER_ENABLED: 'true', JTD_WORKER_ID: 'cache-b' });
    // Far beyond the test: what B sees must come from the notification.
    b.app.get(JtdConfigCache).ttlMs = 10 * 60_000;
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
    expect((await repoB.cached(tenant)).channelsEnabled.sms).toBe(false);
    const otherBefore = await repoB.cached(other);

    const current = await a.app.get(JtdSettingsService).get(tenant);
    await a.app.get(JtdSettingsService).update(tenant, { channelsEnabled: { sms: true }, version: current.version } as any);
    await eventually(async () => expect((await repoB.cached(tenant)).channelsEnabled.sms).toBe(true), { timeoutMs: 3000, intervalMs: 20 });
    // The other tenant's entry was not reloaded: same object from the cache.
    expect(await repoB.cached(other)).toBe(otherBefore);
  });

  it('drops a changed tenant template in the other replica', async () => {
    const tenant = randomUUID();
    const templatesA = a.app.get(TemplatesRepository);
    const created = (await templatesA.insert(tenant, {
      templateKey: 'visit_note', name: 'Visit note', channelCode: 'email', sourceTypeCode: 'service_reminder', subject: 'Visit',
      content: 'Hello {{customer_name}}', contentHtml: null, variables: ['customer_name'], providerTemplateId: null,
    }))!;
    const templatesB = b.app.get(TemplatesRepository);
    expect((await templatesB.cachedById(tenant, created.id))!.content).toBe('Hello {{customer_name}}');
    expect((await templatesB.cachedResolve(tenant, 'email', 'service_reminder', 'visit_note'))!.id).toBe(created.id);
    // Another tenant cannot reach it through the cache either.
    expect(await templatesB.cachedById(randomUUID(), created.id)).toBeNull();

    await templatesA.update(tenant, created.id, created.version, { content: 'Dear {{customer_name}}' });
    await eventually(async () => expect((await templatesB.cachedById(tenant, created.id))!.content).toBe('Dear {{customer_name}}'), { timeoutMs: 3000, intervalMs: 20 });
  });
});
