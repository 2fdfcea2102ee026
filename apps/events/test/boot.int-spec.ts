import { INestApplication } from '@nestjs/common';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { createEventsApp } from '../src/events.app';

describe('events service boot', () => {
  let env: TestEnvironment;
  let app: INestApplication;

  beforeAll(async () => {
    env = await createTestEnvironment();
    app = await createEventsApp(env.env('events'));
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  it('reports ready when its database and broker answer', async () => {
    const res = await fetch(`${await app.getUrl()}/health/ready`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { checks: Record<string, { status: string }> }).checks.database.status).toBe('up');
  });
});
