import { ConfigError, loadConfig } from './load-config';
import { ServiceConfig } from './service-config';

const VALID = {
  DATABASE_URL: 'postgres://127.0.0.1:5432/contractnest',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  HTTP_PORT: '3101',
  DB_USER: 'cn_events',
  DB_PASSWORD: 'secret',
};

function problemsOf(env: Record<string, string | undefined>): Record<string, string[]> {
  try {
    loadConfig(ServiceConfig, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('turns the environment into a typed object with defaults', () => {
    const config = loadConfig(ServiceConfig, VALID);
    expect(config).toBeInstanceOf(ServiceConfig);
    expect(config.HTTP_PORT).toBe(3101);
    expect(config.BROKER_NAMESPACE).toBe('cn');
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.RPC_PREFETCH).toBe(32);
  });

  it('names every missing variable', () => {
    const { AMQP_URL: _a, DB_PASSWORD: _p, ...rest } = VALID;
    const problems = problemsOf(rest);
    expect(Object.keys(problems).sort()).toEqual(['AMQP_URL', 'DB_PASSWORD']);
  });

  it('treats an empty variable as missing', () => {
    expect(Object.keys(problemsOf({ ...VALID, DATABASE_URL: '' }))).toEqual(['DATABASE_URL']);
  });

  it('names malformed variables with what is wrong', () => {
    const problems = problemsOf({ ...VALID, HTTP_PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', BROKER_NAMESPACE: 'Has Spaces' });
    expect(Object.keys(problems).sort()).toEqual(['BROKER_NAMESPACE', 'DATABASE_URL', 'HTTP_PORT', 'LOG_LEVEL']);
    expect(problems.DATABASE_URL.join()).toMatch(/postgres:\/\/ URL/);
  });

  it('puts the names in the error message, so a crash log says what to set', () => {
    const { DB_USER: _u, ...rest } = VALID;
    expect(() => loadConfig(ServiceConfig, { ...rest, HTTP_PORT: '70000' })).toThrow(
      /invalid configuration: .*HTTP_PORT.*DB_USER|invalid configuration: .*DB_USER.*HTTP_PORT/,
    );
  });

  it('ignores variables it does not know (the process environment has many)', () => {
    expect(() => loadConfig(ServiceConfig, { ...VALID, PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });
});
