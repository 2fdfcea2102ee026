import { loadConfig } from '../config/load-config';
import { BaseConfig } from '../config/service-config';

/** Any app's environment in production, with credentials production accepts. */
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db:5432/cn',
  AMQP_URL: 'amqp://cn:a-real-broker-password-91@mq:5672',
  HTTP_PORT: '3000',
};

describe('METRICS_TOKEN and METRICS_PUBLIC', () => {
  it('refuses to start in production without METRICS_TOKEN, naming it', () => {
    expect(() => loadConfig(BaseConfig, production)).toThrow(/METRICS_TOKEN \(is required in production/);
    expect(() => loadConfig(BaseConfig, { ...production, METRICS_PUBLIC: 'false' })).toThrow(/METRICS_TOKEN/);
  });

  it('starts in production with a token, or with METRICS_PUBLIC=true said explicitly', () => {
    expect(loadConfig(BaseConfig, { ...production, METRICS_TOKEN: 'a-scraper-token-0f3c9a71' }).METRICS_TOKEN).toBe('a-scraper-token-0f3c9a71');
    expect(loadConfig(BaseConfig, { ...production, METRICS_PUBLIC: 'true' }).METRICS_PUBLIC).toBe(true);
  });

  it('refuses a short or placeholder token, and a METRICS_PUBLIC that is not true or false', () => {
    expect(() => loadConfig(BaseConfig, { ...production, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig(BaseConfig, { ...production, METRICS_TOKEN: 'change-me-change-me-change-me' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig(BaseConfig, { ...production, METRICS_PUBLIC: 'yes' })).toThrow(/METRICS_PUBLIC/);
  });

  it('asks nothing outside production: /metrics stays open unless a token is set', () => {
    const dev = loadConfig(BaseConfig, { ...production, NODE_ENV: 'development' });
    expect(dev.METRICS_TOKEN).toBeUndefined();
    expect(dev.METRICS_PUBLIC).toBe(false);
  });
});
