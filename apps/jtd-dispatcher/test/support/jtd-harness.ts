import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { CreatedJobsView, CreateJobsDto } from '@app/shared/api/jtd/jobs.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { TestEnvironment } from '@app/shared/testing/test-environment';
import { Clock } from '@app/shared/time/clock';
import { Dispatcher } from '../../src/delivery/dispatcher';
import { CreatedJobs, JobCreator, JobRequest } from '../../src/jobs/job-creator';
import { CreateJobsUseCase } from '../../src/jobs/use-cases/create-jobs.use-case';
import { createJtdDispatcherApp } from '../../src/jtd-dispatcher.app';
import { webhookSecretHash } from '../../src/settings/tenant-config.repository';
import { FakeProvider } from './fake-provider';

/** A job request as the tests write it: the caller's context with what it asks for. */
export type CreateJobsCommand = JobRequest & { ctx: RequestContext };

export interface JtdInstance {
  app: INestApplication;
  worker: Dispatcher;
  create: {
    /** Creates jobs as a domain event's handler does (JobCreator in a transaction of its own). */
    execute(cmd: CreateJobsCommand): Promise<CreatedJobs>;
    /** Creates jobs as `POST /v1/jtd` does. */
    forRequest(ctx: RequestContext, dto: CreateJobsDto): Promise<CreatedJobsView>;
  };
  db: DataSource;
}

/** A dispatcher instance on the test's database with the loop off: tests drive `worker.tick()` with a clock they move. */
export async function startDispatcher(env: TestEnvironment, fake: FakeProvider, clock: Clock, extra: Record<string, string> = {}): Promise<JtdInstance> {
  const app = await createJtdDispatcherApp(env.env('jtd-dispatcher', { ...fake.env(), JTD_WORKER_ENABLED: 'false', JTD_LEASE_MS: '60000', ...extra }), {
    clock,
  });
  const creator = app.get(JobCreator);
  const transactions = app.get(Transactions);
  const create = {
    execute: ({ ctx, ...req }: CreateJobsCommand) => transactions.run((tx) => creator.create(tx, ctx, req)),
    forRequest: (ctx: RequestContext, dto: CreateJobsDto) => app.get(CreateJobsUseCase).execute(ctx, dto),
  };
  return { app, worker: app.get(Dispatcher), create, db: app.get(DataSource) };
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
    [
      tenantId,
      webhookSecretHash(webhookSecretOf(tenantId)),
      patch.timezone ?? 'UTC',
      patch.quietHoursStart ?? null,
      patch.quietHoursEnd ?? null,
      patch.dailyLimit ?? null,
      patch.monthlyLimit ?? null,
      patch.vaniEnabled ?? false,
      patch.vaniAutoExecuteTypes ?? [],
    ],
  );
  return tenantId;
}

export function request(tenantId: string, over: Partial<CreateJobsCommand> = {}): CreateJobsCommand {
  return {
    ctx: userCtx(tenantId),
    sourceType: 'service_reminder',
    sourceId: randomUUID(),
    channels: ['email'],
    recipient: {
      type: 'customer',
      id: randomUUID(),
      name: 'Ravi Kumar',
      email: 'ravi@example.com',
      phone: '+919812345678',
      deviceTokens: ['device-token-abcdefghijklmnopqrstuvwxyz'],
    },
    variables: { customer_name: 'Ravi', service_type: 'AC service', service_date: '2026-12-01', tenant_name: 'CoolAir' },
    ...over,
  };
}

export async function job(db: DataSource, id: string) {
  return (await db.query(`SELECT * FROM jobs WHERE id = $1`, [id]))[0];
}

/** A job's status history row, as status_history stores it. */
export interface HistoryRow {
  from_status: string | null;
  to_status: string;
  is_valid_transition: boolean;
  actor_type: string;
  source: string;
  reason: string | null;
}

export async function historyOf(db: DataSource, id: string): Promise<HistoryRow[]> {
  return db.query(`SELECT from_status, to_status, is_valid_transition, actor_type, source, reason FROM status_history WHERE jtd_id = $1 ORDER BY seq`, [id]);
}
