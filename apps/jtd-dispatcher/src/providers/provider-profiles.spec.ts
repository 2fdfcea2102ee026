import { ConfigError, loadConfig } from '@app/shared/config/load-config';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { parseProviderProfiles } from './provider-profiles';

const TENANT = '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const BASE = {
  DATABASE_URL: 'postgres://db:5432/contractnest',
  AMQP_URL: 'amqp://contractnest:k7Qm2vX9pLw4@rabbitmq:5672',
  HTTP_PORT: '3103',
  DB_USER: 'cn_jtd',
  DB_PASSWORD: 'Vf8s2LqN0cTz5Rk1',
};
const PRODUCTION = { ...BASE, NODE_ENV: 'production', METRICS_TOKEN: 'mT4k9Qz2Lx7Vw1Pn', SEALED_FIELDS_KEY: 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1A=' };

function refused(env: Record<string, string>): Record<string, string[]> {
  try {
    loadConfig(JtdDispatcherConfig, env);
    return {};
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems;
  }
}

describe('JTD_TENANT_PROVIDERS', () => {
  it('binds each profile to the tenants it lists', () => {
    const { profiles, problems } = parseProviderProfiles(JSON.stringify({ acme: { tenants: [TENANT.toUpperCase()], MSG91_AUTH_KEY: 'k' } }));
    expect(problems).toEqual([]);
    expect([...profiles.get('acme')!.tenants]).toEqual([TENANT]);
    expect(profiles.get('acme')!.credentials).toEqual({ MSG91_AUTH_KEY: 'k' });
  });

  it('stops the boot, naming the variable, for a profile that names no tenant, a misspelt key, or text that is not JSON', () => {
    for (const [value, why] of [
      [{ acme: { MSG91_AUTH_KEY: 'k' } }, /profile acme: "tenants" must list/],
      [{ acme: { tenants: ['not-a-uuid'] } }, /profile acme: "tenants" must list/],
      [{ acme: { tenants: [TENANT], MSG91_AUTHKEY: 'k' } }, /profile acme: unknown keys MSG91_AUTHKEY/],
      ['{oops', /must be JSON/],
    ] as const) {
      const problems = refused({ ...BASE, JTD_TENANT_PROVIDERS: typeof value === 'string' ? value : JSON.stringify(value) });
      expect(Object.keys(problems)).toEqual(['JTD_TENANT_PROVIDERS']);
      expect(problems.JTD_TENANT_PROVIDERS.join()).toMatch(why);
    }
  });

  it('refuses in production provider keys that are placeholders, globally or in a profile', () => {
    const profiles = JSON.stringify({ acme: { tenants: [TENANT], MSG91_AUTH_KEY: '<your MSG91 auth key>' } });
    const problems = refused({ ...PRODUCTION, MSG91_AUTH_KEY: 'your-msg91-auth-key', FCM_SERVICE_ACCOUNT: 'changeme', JTD_TENANT_PROVIDERS: profiles });
    expect(Object.keys(problems).sort()).toEqual(['FCM_SERVICE_ACCOUNT', 'JTD_TENANT_PROVIDERS', 'MSG91_AUTH_KEY']);
    expect(problems.JTD_TENANT_PROVIDERS.join()).toMatch(/profile acme: MSG91_AUTH_KEY is a placeholder/);
    // Outside production the same values are a developer's business; empty keys mean "not configured".
    expect(refused({ ...BASE, MSG91_AUTH_KEY: 'your-msg91-auth-key', JTD_TENANT_PROVIDERS: profiles })).toEqual({});
    expect(refused({ ...PRODUCTION, MSG91_AUTH_KEY: '', FCM_SERVICE_ACCOUNT: '' })).toEqual({});
  });

  it('keeps tenant ids out of metric labels unless METRICS_TENANT_LABELS=true', () => {
    expect(loadConfig(JtdDispatcherConfig, BASE).METRICS_TENANT_LABELS).toBe(false);
    expect(loadConfig(JtdDispatcherConfig, { ...BASE, METRICS_TENANT_LABELS: 'true' }).METRICS_TENANT_LABELS).toBe(true);
    expect(Object.keys(refused({ ...BASE, METRICS_TENANT_LABELS: 'yes' }))).toEqual(['METRICS_TENANT_LABELS']);
  });
});
