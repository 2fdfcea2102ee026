import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { TestEnvironment } from '@app/shared/testing/test-environment';
import { createJtdDispatcherApp } from '../../src/jtd-dispatcher.app';
import { CreateJobsCommand, CreateJobsUseCase } from '../../src/jobs/use-cases/create-jobs.use-case';
import { DispatcherWorker } from '../../src/pipeline/dispatcher.worker';
import { webhookSecretHash } from '../../src/settings/tenant-config.repository';
import { FakeJtdClock } from '../../src/time/clock';
import { FakeProvider } from './fake-provider';

export interface JtdInstance {
  app: INestApplication;
  worker: DispatcherWorker;
  create: CreateJobsUseCase;
  db: DataSource;
}

/** A dispatcher instance on the test's database with the loop off: tests drive `worker.tick()` with a fake clock. */
export async function startDispatcher(env: TestEnvironment, fake: FakeProvider, clock: FakeJtdClock, extra: Record<string, string> = {}): Promise<JtdInstance> {
  const app = await createJtdDispatcherApp(
    env.env('jtd-dispatcher', { ...fake.env(), JTD_WORKER_ENABLED: 'false', JTD_LEASE_MS: '60000', ...extra }),
    { clock },
  );
  return { app, worker: app.get(DispatcherWorker), create: app.get(CreateJobsUseCase), db: app.get(DataSource) };
}

export function userCtx(tenantId: string): RequestContext {
  return { tenantId, actor: { type: 'user', id: randomUUID(), name: 'Asha Admin' }, roles: ['admin'], correlationId: randomUUID() };
}

export function systemCtx(tenantId: string): RequestContext {
  return { tenantId, actor: SYSTEM_ACTORS.system, roles: [], correlationId: randomUUID() };
}

/** The webhook secret of a tenant made by `tenantWithAllChannels` (only its hash is stored). */
export function webhookSecretOf(tenantId: string): string {
  return `secret-${tenantId}`;
}

/** A tenant with every channel on (the seeded default is only email and in-app). */
export async function tenantWithAllChannels(db: DataSource, patch: Record<string, unknown> = {}): Promise<string> {
  const tenantId = (patch.tenantId as string | undefined) ?? randomUUID();
  await db.query(
    `INSERT INTO tenant_config (tenant_id, channels_enabled, webhook_secret_hash, timezone, quiet_hours_start, quiet_hours_end, daily_limit, monthly_limit, vani_enabled, vani_auto_execute_types)
     VALUES ($1, '{"email":true,"sms":true,"whatsapp":true,"push":true,"inapp":true}', $2, $3, $4, $5, $6, $7, $8, $9)`,
    [tenantId, webhookSecretHash(webhookSecretOf(tenantId)), patch.timezone ?? 'UTC', patch.quietHoursStart ?? null, patch.quietHoursEnd ?? null, patch.dailyLimit ?? null, patch.monthlyLimit ?? null, patch.vaniEnabled ?? false, patch.vaniAutoExecuteTypes ?? []],
  );
  return tenantId;
}

export function request(tenantId: string, over: Partial<CreateJobsCommand> = {}): CreateJobsCommand {
  return {
    ctx: userCtx(tenantId),
    sourceType: 'service_reminder',
    sourceId: randomUUID(),
    channels: ['email'],
    recipient: { type: 'customer', id: randomUUID(), name: 'Ravi Kumar', email: 'ravi@example.com', phone: '+919812345678', deviceTokens: ['device-token-abcdefghijklmnopqrstuvwxyz'] },
    variables: { customer_name: 'Ravi', service_type: 'AC service', service_date: '2026-12-01', tenant_name: 'CoolAir' },
    ...over,
  };
}

export async function job(db: DataSource, id: string) {
  return (await db.query(`SELECT * FROM jobs WHERE id = $1`, [id]))[0];
}

export async function historyOf(db: DataSource, id: string) {
  return db.query(`SELECT from_status, to_status, is_valid_transition, performed_by_type FROM status_history WHERE jtd_id = $1 ORDER BY seq`, [id]);
}
