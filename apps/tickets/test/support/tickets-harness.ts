import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { closeApp } from '@app/shared/app/create-service-app';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { captureEvents, CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { createTicketsApp } from '../../src/tickets.app';
import { seedContract, SeededContract } from './seed-read-model';

export interface TicketsHarness {
  env: TestEnvironment;
  app: INestApplication;
  clock: FixedClock;
  db: DataSource;
  capture: CapturedEvents;
  /** A contract of 4 services (6 events with spare parts and billing) in the read model. */
  s: SeededContract;
  /** A dispatcher (admin) of the seeded tenant. */
  ctx: RequestContext;
  techCtx(userId: string): RequestContext;
  close(): Promise<void>;
}

/**
 * The tickets service on its own test environment, at a fixed time, with a seeded contract already in its
 * read model and the given event types captured.
 */
export async function startTicketsHarness(options: { captured: string[]; env?: Record<string, string> }): Promise<TicketsHarness> {
  const env = await createTestEnvironment();
  const clock = new FixedClock(new Date('2026-05-01T08:00:00Z'));
  const app = await createTicketsApp(env.env('tickets', options.env), { clock });
  const db = app.get(DataSource);
  const capture = await captureEvents(env, options.captured);
  const s = await seedContract(env, { services: 4 });
  const ctx: RequestContext = {
    tenantId: s.tenantId,
    actor: { type: 'user', id: randomUUID(), name: 'Dispatcher' },
    roles: ['admin'],
    correlationId: randomUUID(),
  };
  await eventually(async () => {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM contract_event_read_models WHERE contract_id = $1`, [s.contractId]);
    expect(n).toBe(6);
  });
  return {
    env,
    app,
    clock,
    db,
    capture,
    s,
    ctx,
    techCtx: (userId) => ({ ...ctx, actor: { type: 'user', id: userId, name: 'Tech' }, roles: ['technician'] }),
    async close() {
      await capture.close();
      await closeApp(app);
      await env.dispose();
    },
  };
}

/** The DomainError a call fails with (the test fails when it does not). */
export async function rejection(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected the call to fail');
}
