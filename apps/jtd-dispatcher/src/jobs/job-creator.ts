import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { DomainError } from '@app/shared/errors/domain-error';
import { HistoryRow } from '@app/shared/status-machine/status-history';
import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { Clock } from '@app/shared/time/clock';
import { IntakeLeases } from '../delivery/intake-leases';
import { JobWakeups } from '../delivery/job-wakeups';
import { ACTION_EVENT_TYPES } from '../master-data/jtd-master-data';
import { MasterDataRepository } from '../master-data/master-data.repository';
import { SourceConfigRepository } from '../settings/source-config.repository';
import { TenantConfigRepository } from '../settings/tenant-config.repository';
import { TemplateRepository } from '../templates/template.repository';
import { JobFlows } from './job-flows';
import { JobRecipient, JobRow } from './job-row';
import { JobStatusMover } from './job-status-mover';
import { JobRepository } from './job.repository';
import { NewJob, newJobRow } from './new-job';

/** What asks for jobs: an API request, a JTD_REQUESTED, a domain event through its source type. */
export interface JobRequest {
  eventType?: string | null;
  sourceType: string;
  sourceId?: string | null;
  sourceRef?: string | null;
  /** Asked channels; else the tenant's override of the source, else the source type's defaults. */
  channels?: string[] | null;
  recipient: JobRecipient;
  templateKey?: string | null;
  variables: Record<string, unknown>;
  scheduledAt?: string | Date | null;
  priority?: number | null;
  isLive?: boolean | null;
  /** Stable id of the logical request (JTD_REQUESTED requestId, event id); makes redelivery harmless. */
  requestId?: string | null;
  businessContext?: Record<string, unknown>;
}

export interface CreatedJobs {
  jobs: JobRow[];
  skipped: Array<{ channel: string; reason: string }>;
}

/**
 * Turns one request into one job per resolved channel: the asked channels (or the source's defaults), kept
 * only where the event type allows them, the tenant enabled them and a template exists. Creation is
 * idempotent on (request id, channel) or (source, source id, channel, template). Each job is inserted
 * straight into the status it takes after `created` (scheduled, pending, or pending for a person), with
 * both history rows and its wake-up, in one statement; one leased at intake goes in as `executing`.
 */
@Injectable()
export class JobCreator {
  constructor(
    private readonly master: MasterDataRepository,
    private readonly tenants: TenantConfigRepository,
    private readonly sources: SourceConfigRepository,
    private readonly templates: TemplateRepository,
    private readonly flows: JobFlows,
    private readonly mover: JobStatusMover,
    private readonly jobs: JobRepository,
    private readonly wakeups: JobWakeups,
    private readonly intake: IntakeLeases,
    private readonly clock: Clock,
  ) {}

  async create(tx: Db, ctx: RequestContext, req: JobRequest): Promise<CreatedJobs> {
    return (await this.createMany(tx, [{ ctx, req }]))[0];
  }

  /**
   * `create` for many requests (each with the context of its own work), answered in order: every job of
   * every request in one INSERT, the jobs that existed already in one read. The same as creating them one by
   * one in this order, including a request that repeats an earlier one's dedupe key (it gets that job).
   */
  async createMany(
    tx: Db,
    requests: ReadonlyArray<{ ctx: RequestContext; req: JobRequest }>,
    { leaseDue = false }: { leaseDue?: boolean } = {},
  ): Promise<CreatedJobs[]> {
    const planned: PlannedJob[] = [];
    const outs: CreatedJobs[] = [];
    for (const { ctx, req } of requests) {
      const out: CreatedJobs = { jobs: [], skipped: [] };
      outs.push(out);
      planned.push(...(await this.plan(tx, ctx, req, out)));
    }
    if (planned.length === 0) return outs;
    const now = this.clock.now();
    const due = leaseDue ? planned.filter((p) => p.job.status === 'pending' && p.job.autoExecute && p.job.nextAttemptAt && p.job.nextAttemptAt <= now) : [];
    // Gates and limits before the INSERT: the jobs that go out now are inserted already `executing` (IntakeLeases).
    const lease = await this.intake.lease(
      tx,
      due.map((p) => newJobRow(p.job)),
    );
    const offered = new Set(lease ? due : []);
    for (const p of due) {
      const move = lease?.leased.get(p.job.id);
      if (!move) continue;
      const moved = this.mover.movedAtCreation(p.machine, p.job, move);
      p.job = moved.job;
      p.history = [...p.history, ...moved.history];
    }
    const inserted = await this.jobs.insertCreatedMany(tx, planned);
    const missing = planned.filter((_, i) => !inserted[i]).map((p) => p.job);
    const existing = await this.jobs.byDedupeKeys(tx, missing);
    for (const [i, p] of planned.entries()) {
      const job = inserted[i];
      if (!job) {
        p.out.jobs.push(existing.get(`${p.job.tenantId}|${p.job.dedupeKey}`)!);
        continue;
      }
      await this.mover.announceCreated(tx, p.ctx, job, p.history[1].to, p.history[1].actor);
      p.out.jobs.push(job);
      if (p.job.nextAttemptAt && !offered.has(p)) this.wakeups.jobsDue(tx);
    }
    // Last, so that nothing of this creation can be rolled back after the lease (IntakeLeases).
    await lease?.finish(tx, new Map(inserted.filter((j): j is JobRow => j !== null).map((j) => [j.id, j])));
    return outs;
  }

  /** One request's jobs as they are to be inserted (the channels it skips go to `out`). */
  private async plan(tx: Db, ctx: RequestContext, req: JobRequest, out: CreatedJobs): Promise<PlannedJob[]> {
    const tenantId = ctx.tenantId;
    const source = await this.master.sourceType(tx, req.sourceType);
    if (!source) throw DomainError.validation({ sourceType: [`unknown source type ${req.sourceType}`] });
    const eventTypeCode = req.eventType ?? source.defaultEventType ?? 'notification';
    const eventType = await this.master.eventType(tx, eventTypeCode);
    if (!eventType) throw DomainError.validation({ eventType: [`unknown event type ${eventTypeCode}`] });

    const config = await this.tenants.cached(tx, tenantId);
    const sourceCfg = await this.sources.cached(tx, tenantId, req.sourceType);
    if (sourceCfg && !sourceCfg.isEnabled) {
      out.skipped.push({ channel: '*', reason: `source ${req.sourceType} is disabled for this tenant` });
      return [];
    }

    const wanted = req.channels?.length ? req.channels : (sourceCfg?.channelsEnabled ?? source.defaultChannels);
    const now = this.clock.now();
    const delay = sourceCfg?.delaySeconds ?? 0;
    const scheduledAt = req.scheduledAt ? new Date(req.scheduledAt) : delay > 0 ? new Date(now.getTime() + delay * 1000) : null;
    const isAction = ACTION_EVENT_TYPES.includes(eventTypeCode);
    const vani = isAction && ((config.vaniEnabled && config.vaniAutoExecuteTypes.includes(eventTypeCode)) || (sourceCfg?.autoExecute ?? false));
    const autoExecute = !isAction || vani;
    const performer: Actor = vani ? SYSTEM_ACTORS.vani : ctx.actor;
    // Where a job goes right after `created`.
    const target = !autoExecute
      ? { to: 'pending', note: 'waiting for a person', next: null }
      : scheduledAt && scheduledAt > now
        ? { to: 'scheduled', note: 'scheduled', next: scheduledAt }
        : { to: 'pending', note: null, next: now };
    const machine = await this.flows.machine(tx, tenantId, eventTypeCode);
    const { isValidTransition, history } = this.mover.creation(machine, tenantId, performer, target.to, target.note, now);

    const jobs: PlannedJob[] = [];
    for (const channel of new Set(wanted)) {
      if (!eventType.allowedChannels.includes(channel)) {
        out.skipped.push({ channel, reason: `event type ${eventTypeCode} does not allow ${channel}` });
        continue;
      }
      if (!config.channelsEnabled[channel]) {
        out.skipped.push({ channel, reason: `channel ${channel} is not enabled for this tenant` });
        continue;
      }
      const template = await this.templates.cachedResolve(tx, tenantId, channel, req.sourceType, req.templateKey ?? null);
      if (!template) {
        out.skipped.push({ channel, reason: `no ${channel} template for ${req.templateKey ?? req.sourceType}` });
        continue;
      }
      const dedupeKey = req.requestId
        ? `req:${req.requestId}:${channel}`
        : req.sourceId
          ? `src:${req.sourceType}:${req.sourceId}:${channel}:${template.templateKey}`
          : `once:${randomUUID()}`;
      const job: NewJob = {
        id: randomUUID(),
        tenantId,
        eventTypeCode,
        channelCode: channel,
        sourceTypeCode: req.sourceType,
        sourceId: req.sourceId ?? null,
        sourceRef: req.sourceRef ?? null,
        dedupeKey,
        requestId: req.requestId ?? null,
        recipient: req.recipient,
        recipientId: isUuid(req.recipient.id) ? req.recipient.id : null,
        recipientContact: contactOn(channel, req.recipient),
        templateKey: template.templateKey,
        templateId: template.id,
        variables: req.variables ?? {},
        businessContext: req.businessContext ?? {},
        priority: req.priority ?? sourceCfg?.priorityOverride ?? eventType.defaultPriority,
        scheduledAt,
        maxRetries: eventType.maxRetries,
        retryDelaySeconds: eventType.retryDelaySeconds,
        autoExecute,
        isLive: req.isLive ?? config.isLive,
        performer,
        status: target.to,
        previousStatus: 'created',
        isValidTransition,
        version: 2,
        nextAttemptAt: target.next,
        lease: null,
        at: now,
        correlationId: ctx.correlationId,
        traceParent: ctx.traceparent ?? null,
      };
      jobs.push({ job, history, machine, ctx, out });
    }
    return jobs;
  }
}

/** A job of a request, planned: what to insert, and where its answer goes. */
interface PlannedJob {
  job: NewJob;
  history: HistoryRow[];
  /** The job's status flow (a lease at intake moves it on before the INSERT). */
  machine: StatusMachine;
  ctx: RequestContext;
  out: CreatedJobs;
}

/** The address a channel uses, as first guess (the dispatcher checks it before sending). */
function contactOn(channel: string, r: JobRecipient): string | null {
  const contact = channel === 'email' ? r.email : channel === 'sms' || channel === 'whatsapp' ? r.phone : channel === 'inapp' ? r.id : r.deviceTokens?.[0];
  return contact ?? null;
}

function isUuid(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}
