import { HealthService } from './health.service';

describe('HealthService', () => {
  it('is ready when every registered check passes, with each check reported', async () => {
    const health = new HealthService();
    health.register('database', async () => undefined);
    health.register('broker', async () => undefined);
    const report = await health.readiness();
    expect(report.status).toBe('ok');
    expect(Object.keys(report.checks).sort()).toEqual(['broker', 'database']);
    expect(report.checks.database.status).toBe('up');
  });

  it('is not ready when one check fails, and says which and why', async () => {
    const health = new HealthService();
    health.register('database', async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')));
    health.register('broker', async () => undefined);
    const report = await health.readiness();
    expect(report.status).toBe('error');
    expect(report.checks.database).toMatchObject({ status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:5432' });
    expect(report.checks.broker.status).toBe('up');
  });

  it('treats a check that hangs as down after the timeout instead of hanging the probe', async () => {
    const health = new HealthService();
    health.register('database', () => new Promise(() => undefined));
    const report = await health.readiness(50);
    expect(report.checks.database).toMatchObject({ status: 'down', error: 'database check timed out' });
  });

  it('reports not ready once shutdown has begun, even with every check up', async () => {
    const health = new HealthService();
    health.register('database', async () => undefined);
    health.markShuttingDown();
    expect((await health.readiness()).status).toBe('error');
  });
});
