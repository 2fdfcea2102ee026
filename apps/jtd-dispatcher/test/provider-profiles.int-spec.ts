import { randomUUID } from 'node:crypto';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { JtdSettingsView, UpdateJtdSettingsDto } from '@app/shared/api/jtd/jtd-settings.dto';
import { FixedClock } from '@app/shared/time/clock';
import { GetSettingsUseCase } from '../src/settings/use-cases/get-settings.use-case';
import { UpdateSettingsUseCase } from '../src/settings/use-cases/update-settings.use-case';
import { FakeProvider } from './support/fake-provider';
import { job, JtdInstance, request, startDispatcher, tenantWithAllChannels, userCtx } from './support/jtd-harness';

/**
 * Provider profiles are provider accounts of particular tenants (JTD_TENANT_PROVIDERS binds each to the
 * tenants it serves): a tenant can neither pick another's nor keep sending through one that was withdrawn.
 */
describe('provider profiles bound to tenants, and tenant ids in metrics', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let d: JtdInstance;
  let settings: { get(tenantId: string): Promise<JtdSettingsView>; update(tenantId: string, dto: UpdateJtdSettingsDto): Promise<JtdSettingsView> };
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));
  let acmeTenant: string;
  let globexTenant: string;

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    acmeTenant = randomUUID();
    globexTenant = randomUUID();
    const profiles = {
      acme: { tenants: [acmeTenant], MSG91_AUTH_KEY: fake.authKey, MSG91_SMS_SENDER: 'ACMEIN' },
      globex: { tenants: [globexTenant], MSG91_AUTH_KEY: 'globex-own-authkey' },
    };
    d = await startDispatcher(env, fake, clock, { JTD_TENANT_PROVIDERS: JSON.stringify(profiles) });
    settings = {
      get: (tenantId) => d.app.get(GetSettingsUseCase).execute(userCtx(tenantId)),
      update: (tenantId, dto) => d.app.get(UpdateSettingsUseCase).execute(userCtx(tenantId), dto),
    };
    await tenantWithAllChannels(d.db, { tenantId: acmeTenant });
  });

  afterAll(async () => {
    await d?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e) => ({ code: e.code, message: e.message, details: e.details }),
    );

  it('lets a tenant pick a profile bound to it, and send through that account', async () => {
    expect((await settings.update(acmeTenant, { providerProfile: 'acme' })).providerProfile).toBe('acme');
    const { jobs } = await d.create.execute(request(acmeTenant, { channels: ['sms'] }));
    await d.worker.tick();
    expect((await job(d.db, jobs[0].id)).status_code).toBe('sent');
    expect(fake.of('sms').at(-1)!.body.sender).toBe('ACMEIN');
  });

  it('refuses with 422 a profile bound to another tenant, and one that does not exist, alike', async () => {
    const before = await settings.get(acmeTenant);
    const theirs = await refusal(settings.update(acmeTenant, { providerProfile: 'globex' }));
    const nobodys = await refusal(settings.update(acmeTenant, { providerProfile: 'initech' }));
    expect(theirs).toEqual({
      code: 'BUSINESS_RULE',
      message: 'provider profile globex is not configured for this tenant (JTD_TENANT_PROVIDERS)',
      details: { reason: 'PROVIDER_PROFILE_NOT_ALLOWED', providerProfile: 'globex' },
    });
    expect(nobodys).toEqual({ ...theirs, message: theirs!.message.replace('globex', 'initech'), details: { ...theirs!.details, providerProfile: 'initech' } });
    expect(await settings.get(acmeTenant)).toEqual(before);
    // Back to the deployment's default account is always allowed.
    expect((await settings.update(acmeTenant, { providerProfile: null })).providerProfile).toBeNull();
  });

  it('fails, without calling the provider, the jobs of a tenant whose profile is no longer bound to it', async () => {
    // Set when the binding held (or by hand): the deployment has since withdrawn it.
    const tenantId = await tenantWithAllChannels(d.db);
    await d.db.query(`UPDATE tenant_config SET provider_profile = 'globex' WHERE tenant_id = $1`, [tenantId]);
    const calls = fake.requests.length;
    const { jobs } = await d.create.execute(request(tenantId, { channels: ['sms', 'email', 'inapp'] }));
    await d.worker.tick();
    const rows = await Promise.all(jobs.map((j) => job(d.db, j.id)));
    const byChannel = Object.fromEntries(rows.map((r) => [r.channel_code, r]));
    for (const channel of ['sms', 'email']) {
      expect(byChannel[channel]).toMatchObject({ status_code: 'failed', error_code: 'PROVIDER_PROFILE_NOT_ALLOWED' });
    }
    // In-app messages use no provider account: they still arrive.
    expect(byChannel.inapp.status_code).toBe('sent');
    expect(fake.requests.slice(calls).filter((r) => JSON.stringify(r.headers).includes('globex-own-authkey'))).toEqual([]);
    expect(fake.requests.length).toBe(calls);
  });

  it('labels no metric with a tenant id unless METRICS_TENANT_LABELS=true', async () => {
    const text = await d.app.get(MetricsService).render();
    expect(text).toMatch(/^jtd_cost_total\{[^}]*channel="sms"[^}]*\} /m);
    for (const tenant of [acmeTenant, globexTenant]) expect(text).not.toContain(tenant);
    expect(text).not.toMatch(/tenant="/);

    const labelled = await startDispatcher(env, fake, clock, { METRICS_TENANT_LABELS: 'true' });
    try {
      const { jobs } = await labelled.create.execute(request(acmeTenant, { channels: ['email'] }));
      await labelled.worker.tick();
      expect((await job(labelled.db, jobs[0].id)).status_code).toBe('sent');
      expect(await labelled.app.get(MetricsService).render()).toContain(`tenant="${acmeTenant}"`);
    } finally {
      await labelled.app.close();
    }
  });
});
