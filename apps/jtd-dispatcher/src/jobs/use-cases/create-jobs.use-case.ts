import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CreatedJobsView, CreateJobsDto } from '@app/shared/api/jtd/jobs.dto';
import { Actor, SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { containsSealed } from '@app/shared/security/sealed-fields';
import { ACTION_EVENT_TYPES } from '../../master-data/jtd-master-data';
import { JobWakeups } from '../../pipeline/job-wakeups';
import { JtdConfigCache, MASTER } from '../../settings/jtd-config-cache';
import { TenantConfigRepository } from '../../settings/tenant-config.repository';
import { TemplatesRepository } from '../../templates/templates.repository';
import { JtdClock } from '../../time/clock';
import { JOB_COLUMNS, JobRow, jobView } from '../job-row';
import { JobStatusService } from '../job-status.service';

export interface CreateJobsCommand {
  ctx: RequestContext;
  eventType?: string | null;
  sourceType: string;
  sourceId?: string | null;
  sourceRef?: string | null;
  channels?: string[] | null;
  recipient: { type: string; id?: string; name: string; email?: string; phone?: string; deviceTokens?: string[] };
  templateKey?: string | null;
  variables: Record<string, unknown>;
  scheduledAt?: string | Date | null;
  priority?: number | null;
  isLive?: boolean | null;
  /** Stable id of the logical request (JTD_REQUESTED requestId, event id); makes redelivery harmless. */
  requestId?: string | null;
  businessContext?: Record<string, unknown>;
}

export interface CreateJobsResult {
  jobs: JobRow[];
  skipped: Array<{ channel: string; reason: string }>;
}

/**
 * Turns one request into one job per resolved channel: the asked channels (or the source's defaults), kept
 * only where the event type allows them, the tenant enabled them and a template exists. Creation is
 * idempotent on (request id, channel) or (source, source id, channel, template).
 */
@Injectable()
export class CreateJobsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantConfigRepository,
    private readonly templates: TemplatesRepository,
    private readonly status: JobStatusService,
    private readonly clock: JtdClock,
    private readonly cache: JtdConfigCache,
    private readonly wakeups: JobWakeups,
  ) {}

  /** An API request: at least one job, or 422 saying why each channel was left out. */
  async forRequest(ctx: RequestContext, dto: CreateJobsDto): Promise<CreatedJobsView> {
    const { channel, channels, ...rest } = dto;
    if (channel !== undefined && channels !== undefined) throw DomainError.validation({ channels: ['give channel or channels, not both'] });
    // A sealed value is opened at the send, to whatever address the job names: only services' events may bring one.
    if (containsSealed(dto.variables)) throw DomainError.validation({ variables: ['sealed values ($sealed) are accepted from domain events only'] });
    const r = await this.execute({ ctx, ...rest, channels: channels ?? (channel ? [channel] : undefined), requestId: null });
    if (r.jobs.length === 0) throw DomainError.rule('no channel could be used for this job', { skipped: r.skipped });
    return { items: r.jobs.map(jobView), skipped: r.skipped };
  }

  execute(cmd: CreateJobsCommand, tx?: EntityManager): Promise<CreateJobsResult> {
    return tx ? this.run(cmd, tx) : this.dataSource.transaction((m) => this.run(cmd, m));
  }

  private async run(cmd: CreateJobsCommand, tx: EntityManager): Promise<CreateJobsResult> {
    const tenantId = cmd.ctx.tenantId;
    // Master data changes only with a migration: cached (the TTL still bounds it).
    const source = await this.cache.get(MASTER, `source-type:${cmd.sourceType}`, async () =>
      (await tx.query(`SELECT code, default_event_type AS "defaultEventType", default_channels AS "defaultChannels" FROM source_types WHERE code = $1 AND is_active`, [cmd.sourceType]))[0] ?? null,
    );
    if (!source) throw DomainError.validation({ sourceType: [`unknown source type ${cmd.sourceType}`] });
    const eventTypeCode = cmd.eventType ?? source.defaultEventType ?? 'notification';
    const eventType = await this.cache.get(MASTER, `event-type:${eventTypeCode}`, async () =>
      (await tx.query(`SELECT code, allowed_channels AS "allowedChannels", default_priority AS "defaultPriority", default_max_retries AS "maxRetries", retry_delay_seconds AS "retryDelaySeconds" FROM event_types WHERE code = $1 AND is_active`, [eventTypeCode]))[0] ?? null,
    );
    if (!eventType) throw DomainError.validation({ eventType: [`unknown event type ${eventTypeCode}`] });

    const config = await this.tenants.cached(tenantId, tx);
    const sourceCfg = await this.tenants.cachedSource(tenantId, cmd.sourceType, tx);
    const skipped: CreateJobsResult['skipped'] = [];
    if (sourceCfg && !sourceCfg.isEnabled) return { jobs: [], skipped: [{ channel: '*', reason: `source ${cmd.sourceType} is disabled for this tenant` }] };

    const wanted = cmd.channels?.length ? cmd.channels : (sourceCfg?.channelsEnabled ?? source.defaultChannels);
    const now = this.clock.now();
    const delay = sourceCfg?.delaySeconds ?? 0;
    const scheduledAt = cmd.scheduledAt ? new Date(cmd.scheduledAt) : delay > 0 ? new Date(now.getTime() + delay * 1000) : null;
    const isAction = ACTION_EVENT_TYPES.includes(eventTypeCode);
    const vani = isAction && ((config.vaniEnabled && config.vaniAutoExecuteTypes.includes(eventTypeCode)) || (sourceCfg?.autoExecute ?? false));
    const autoExecute = !isAction || vani;
    const performer: Actor = vani ? SYSTEM_ACTORS.vani : cmd.ctx.actor;
    const priority = cmd.priority ?? sourceCfg?.priorityOverride ?? eventType.defaultPriority;
    const isLive = cmd.isLive ?? config.isLive;

    const jobs: JobRow[] = [];
    for (const channel of [...new Set<string>(wanted)]) {
      if (!eventType.allowedChannels.includes(channel)) {
        skipped.push({ channel, reason: `event type ${eventTypeCode} does not allow ${channel}` });
        continue;
      }
      if (!config.channelsEnabled[channel]) {
        skipped.push({ channel, reason: `channel ${channel} is not enabled for this tenant` });
        continue;
      }
      const template = await this.templates.cachedResolve(tenantId, channel, cmd.sourceType, cmd.templateKey ?? null, tx);
      if (!template) {
        skipped.push({ channel, reason: `no ${channel} template for ${cmd.templateKey ?? cmd.sourceType}` });
        continue;
      }
      const dedupeKey = cmd.requestId
        ? `req:${cmd.requestId}:${channel}`
        : cmd.sourceId
          ? `src:${cmd.sourceType}:${cmd.sourceId}:${channel}:${template.templateKey}`
          : `once:${randomUUID()}`;
      const contact = channel === 'email' ? cmd.recipient.email : channel === 'sms' || channel === 'whatsapp' ? cmd.recipient.phone : channel === 'inapp' ? cmd.recipient.id : cmd.recipient.deviceTokens?.[0];
      // Where the job goes right after `created`. It is inserted there directly, with both history rows
      // and the worker's wake-up, in one statement: one round trip per job instead of five.
      const target = !autoExecute
        ? { to: 'pending', note: 'waiting for a person', next: null }
        : scheduledAt && scheduledAt > now
          ? { to: 'scheduled', note: 'scheduled', next: scheduledAt }
          : { to: 'pending', note: null, next: now };
      const valid = (await this.status.machine(tenantId, eventTypeCode, tx)).check({ from: 'created', to: target.to }).isValidTransition;
      const inserted: JobRow[] = await tx.query(
        `WITH j AS (
           INSERT INTO jobs (tenant_id, event_type_code, channel_code, source_type_code, source_id, source_ref, dedupe_key, request_id,
             recipient_type, recipient_id, recipient_name, recipient_contact, recipient, template_key, template_id, variables, business_context,
             priority, scheduled_at, max_retries, retry_delay_seconds, auto_execute, is_live, performed_by_type, performed_by_id, performed_by_name,
             status_changed_at, created_at, updated_at, status_code, previous_status_code, is_valid_transition, next_attempt_at, version)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$27,$27,$28,'created',$29,$30,2)
           ON CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING *),
         h AS (
           INSERT INTO status_history (tenant_id, jtd_id, from_status, to_status, is_valid_transition, performed_by_type, performed_by_id, performed_by_name, note, duration_seconds, at)
           SELECT j.tenant_id, j.id, s.from_status, s.to_status, s.valid, j.performed_by_type, j.performed_by_id, j.performed_by_name, s.note, s.duration, $27
           FROM j CROSS JOIN (VALUES (1, NULL::text, 'created'::text, true, 'job created'::text, NULL::int), (2, 'created', $28::text, $29::boolean, $31::text, 0)) AS s(ord, from_status, to_status, valid, note, duration)
           ORDER BY s.ord)
         SELECT ${JOB_COLUMNS} FROM j`,
        [
          tenantId, eventTypeCode, channel, cmd.sourceType, cmd.sourceId ?? null, cmd.sourceRef ?? null, dedupeKey, cmd.requestId ?? null,
          cmd.recipient.type, isUuid(cmd.recipient.id) ? cmd.recipient.id : null, cmd.recipient.name, contact ?? null, JSON.stringify(cmd.recipient),
          template.templateKey, template.id, JSON.stringify(cmd.variables ?? {}), JSON.stringify(cmd.businessContext ?? {}),
          priority, scheduledAt, eventType.maxRetries, eventType.retryDelaySeconds, autoExecute, isLive, performer.type, performer.id, performer.name, now,
          target.to, valid, target.next, target.note,
        ],
      );
      if (inserted.length === 0) {
        const existing = await tx.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE tenant_id = $1 AND dedupe_key = $2`, [tenantId, dedupeKey]);
        jobs.push(existing[0]);
        continue;
      }
      const job = inserted[0];
      if (target.next) this.wakeups.jobsDue(tx);
      await this.status.emitMany(tx, [{ job: { ...job, statusCode: 'created', version: 1 }, from: 'created', to: target.to, performer, version: 2, ctx: cmd.ctx }]);
      jobs.push(job);
    }
    return { jobs, skipped };
  }
}

function isUuid(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}
