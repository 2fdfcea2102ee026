import { appEnv, DEV_JWT_SECRET } from '../scripts/lib/stack';
import { SERVICES } from '../libs/dev/services';

/** The environment `npm start` gives each app (scripts/lib/stack.js). */
describe('app environments of npm start', () => {
  const input = { databaseUrl: 'postgres://postgres:secret@127.0.0.1:5432/contractnest', amqpUrl: 'amqp://guest:guest@127.0.0.1:5672' };

  it("gives every app its own role and never the admin's credentials", () => {
    for (const s of SERVICES) {
      const env = appEnv(s, input);
      expect(env.DB_USER).toBe(s.role);
      expect(env.DB_PASSWORD).toBeTruthy();
      expect(env.DATABASE_URL).toBe('postgres://127.0.0.1:5432/contractnest');
      expect(env.DATABASE_URL).not.toContain('secret');
    }
  });

  it('gives each app its port from services.js, shifted by the offset', () => {
    for (const s of SERVICES) {
      expect(appEnv(s, input).HTTP_PORT).toBe(String(s.port));
      expect(appEnv(s, { ...input, portOffset: 100 }).HTTP_PORT).toBe(String(s.port + 100));
    }
  });

  it('shares the broker, namespace and development JWT secret', () => {
    const envs = SERVICES.map((s) => appEnv(s, input));
    for (const env of envs) {
      expect(env.AMQP_URL).toBe(input.amqpUrl);
      expect(env.BROKER_NAMESPACE).toBe(process.env.BROKER_NAMESPACE || 'cn');
      expect(env.JWT_SECRET).toBe(process.env.JWT_SECRET || DEV_JWT_SECRET);
    }
    expect(DEV_JWT_SECRET.length).toBeGreaterThanOrEqual(16);
  });

  it('lets a caller override any variable of one app', () => {
    expect(appEnv(SERVICES[0], { ...input, extra: { LOG_LEVEL: 'debug' } }).LOG_LEVEL).toBe('debug');
  });
});
