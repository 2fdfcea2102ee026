import { IsString } from 'class-validator';
import { DEV_JWT_SECRET, DEV_OTP_SECRET, DEV_SEALED_FIELDS_KEY, TEST_JWT_SECRET } from '../security/dev-defaults';
import { ConfigError, loadConfig } from './load-config';
import { brokerCredentialsProblem, ProductionSecret, productionProblems, RefusedInProduction } from './production-guard';
import { ServiceConfig } from './service-config';

const SERVICE = {
  DATABASE_URL: 'postgres://db:5432/contractnest',
  AMQP_URL: 'amqp://contractnest:k7Qm2vX9pLw4@rabbitmq:5672',
  HTTP_PORT: '3101',
  DB_USER: 'cn_events',
  DB_PASSWORD: 'Vf8s2LqN0cTz5Rk1',
  METRICS_TOKEN: 'mT4k9Qz2Lx7Vw1Pn',
  SEALED_FIELDS_KEY: 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1A=',
};
const ROLE_PASSWORDS = ['cn_gateway_dev', 'cn_events_dev', 'cn_tickets_dev', 'cn_jtd_dev'];

class WithSecret extends ServiceConfig {
  @IsString()
  @ProductionSecret()
  SOME_SECRET = DEV_OTP_SECRET;

  @IsString()
  @RefusedInProduction((value, c) => (value === 'loose' && c.SOME_SECRET === 'x' ? 'too loose' : undefined))
  MODE = 'strict';
}

function problemsOf(env: Record<string, string>, cls: new () => object = WithSecret): Record<string, string[]> {
  try {
    loadConfig(cls, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  return {};
}

describe('production guard', () => {
  it('lets development and tests run with the development defaults', () => {
    for (const NODE_ENV of ['development', 'test']) {
      expect(problemsOf({ ...SERVICE, NODE_ENV, DB_PASSWORD: 'cn_events_dev', AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672' })).toEqual({});
    }
  });

  it('refuses in production a secret left at its development default, naming the variable and not the value', () => {
    const problems = problemsOf({ ...SERVICE, NODE_ENV: 'production' });
    expect(Object.keys(problems)).toEqual(['SOME_SECRET']);
    expect(problems.SOME_SECRET.join()).toMatch(/development default/);
    expect(() => loadConfig(WithSecret, { ...SERVICE, NODE_ENV: 'production' })).toThrow(/invalid configuration: SOME_SECRET/);
    try {
      loadConfig(WithSecret, { ...SERVICE, NODE_ENV: 'production' });
    } catch (e) {
      expect((e as Error).message).not.toContain(DEV_OTP_SECRET);
    }
  });

  it('refuses every development and test secret of the repository, and placeholders', () => {
    for (const value of [
      DEV_JWT_SECRET,
      TEST_JWT_SECRET,
      DEV_OTP_SECRET,
      DEV_SEALED_FIELDS_KEY,
      ...ROLE_PASSWORDS,
      'change-me',
      'CHANGEME',
      '<your MSG91 key>',
      'xxxxxxxx',
      'your-auth-key',
    ]) {
      expect({ value, problems: Object.keys(problemsOf({ ...SERVICE, NODE_ENV: 'production', SOME_SECRET: value })) }).toEqual({
        value,
        problems: ['SOME_SECRET'],
      });
    }
    expect(problemsOf({ ...SERVICE, NODE_ENV: 'production', SOME_SECRET: 'q3Zr8Lx1Vw6Tn0Ps' })).toEqual({});
  });

  it('refuses the provisioning role password of a service (DB_PASSWORD) and RabbitMQ’s guest account', () => {
    const problems = problemsOf(
      { ...SERVICE, NODE_ENV: 'production', DB_PASSWORD: 'cn_events_dev', AMQP_URL: 'amqp://guest:guest@rabbitmq:5672' },
      ServiceConfig,
    );
    expect(Object.keys(problems).sort()).toEqual(['AMQP_URL', 'DB_PASSWORD']);
    expect(brokerCredentialsProblem('amqp://rabbitmq:5672')).toMatch(/guest/);
    expect(brokerCredentialsProblem('amqp://app:cn_jtd_dev@rabbitmq:5672')).toMatch(/development default/);
    expect(brokerCredentialsProblem(SERVICE.AMQP_URL)).toBeUndefined();
  });

  it('reports production refusals together with the ordinary validation problems', () => {
    const { HTTP_PORT: _p, ...rest } = SERVICE;
    expect(Object.keys(problemsOf({ ...rest, NODE_ENV: 'production' })).sort()).toEqual(['HTTP_PORT', 'SOME_SECRET']);
  });

  it('gives a rule the whole configuration, and leaves parent classes’ lists as they were', () => {
    expect(problemsOf({ ...SERVICE, NODE_ENV: 'production', SOME_SECRET: 'x', MODE: 'loose' })).toEqual({ MODE: ['too loose'] });
    const plain = loadConfig(ServiceConfig, { ...SERVICE, NODE_ENV: 'production' });
    expect(productionProblems(plain)).toEqual({});
  });
});
