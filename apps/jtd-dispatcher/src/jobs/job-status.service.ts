import { Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '@app/shared/context/actor';
import { RequestContext, systemContext } from '@app/shared/context/request-context';
import { Outbox } from '@app/shared/messaging/outbox';
import { StatusFlowStore } from '@app/shared/status-machine/status-flow.store';
import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { JtdClock } from '../time/clock';
import { JobRow } from './job-row';

export interface MoveOptions {
  note?: string | null;
  details?: Record<string, unknown>;
  /** Extra column updates in the same statement (snake_case column → value). */
  set?: Record<string, unknown>;
  ctx?: RequestContext;
}

const INTERNAL_STEPS = new Set(['pending', 'queued', 'executing']);

/**
 * The one way a job changes status: soft-enforced against the tenant's `jtd:<event_type>` flow (an
 * undefined move is made and flagged `is_valid_transition = false`), a history row with the time spent in
 * the previous status and the performer, and a JTD_STATUS_CHANGED event in the same transaction (except the dispatcher's internal
 * pending/queued/executing hand-offs, which only the history shows).
 */
@Injectable()
export class JobStatusService {
  private readonly logger = new Logger('JobStatus');
  private readonly store: StatusFlowStore;
  private readonly cache = new Map<string, { machine: StatusMachine; at: number }>();

  constructor(
    dataSource: DataSource,
    private readonly clock: JtdClock,
    @Optional() private readonly outbox?: Outbox,
  ) {
    this.store = new StatusFlowStore(dataSource);
  }

  async machine(tenantId: string, eventType: string, tx?: EntityManager): Promise<StatusMachine> {
    const key = `${tenantId}:${eventType}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < 30_000) return hit.machine;
    const machine = await this.store.machine(tenantId, `jtd:${eventType}`, 'soft', tx);
    this.cache.set(key, { machine, at: Date.now() });
    return machine;
  }

  /** Moves `job` (which the caller holds locked in `tx`) and returns the updated copy. */
  async move(tx: EntityManager, job: JobRow, to: string, performer: Actor, opts: MoveOptions = {}): Promise<JobRow> {
    const from = job.statusCode;
    const now = this.clock.now();
    const machine = await this.machine(job.tenantId, job.eventTypeCode, tx);
    const verdict = machine.check({ from, to });
    const duration = Math.max(0, Math.round((now.getTime() - new Date(job.statusChangedAt).getTime()) / 1000));
    const sets: string[] = [];
    const params: unknown[] = [job.id, job.tenantId, to, from, now, verdict.isValidTransition, performer.type, performer.type === 'user' ? performer.id : performer.id, performer.name];
    for (const [col, value] of Object.entries(opts.set ?? {})) {
      params.push(value);
      sets.push(`${col} = $${params.length}`);
    }
    await tx.query(
      `UPDATE jobs SET status_code = $3, previous_status_code = $4, status_changed_at = $5, is_valid_transition = $6,
         performed_by_type = $7, performed_by_id = $8, performed_by_name = $9, updated_at = $5, version = version + 1
         ${sets.length ? ',' + sets.join(',') : ''}
       WHERE id = $1 AND tenant_id = $2`,
      params,
    );
    await tx.query(
      `INSERT INTO status_history (tenant_id, jtd_id, from_status, to_status, is_valid_transition, performed_by_type, performed_by_id,
         performed_by_name, note, details, duration_seconds, at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      [job.tenantId, job.id, from, to, verdict.isValidTransition, performer.type, performer.id, performer.name, opts.note ?? null, JSON.stringify(opts.details ?? {}), duration, now],
    );
    if (!verdict.isValidTransition) this.logger.warn(`job ${job.id} moved ${from} → ${to}, which its flow does not define (allowed, flagged)`);
    await this.emit(tx, job, from, to, performer, opts.ctx);
    return { ...job, statusCode: to, previousStatusCode: from, statusChangedAt: now, isValidTransition: verdict.isValidTransition, version: job.version + 1 };
  }

  /** First history row of a new job (from nothing to `created`). */
  async created(tx: EntityManager, job: JobRow, performer: Actor): Promise<void> {
    await tx.query(
      `INSERT INTO status_history (tenant_id, jtd_id, from_status, to_status, is_valid_transition, performed_by_type, performed_by_id, performed_by_name, note, at)
       VALUES ($1,$2,NULL,'created',true,$3,$4,$5,'job created',$6)`,
      [job.tenantId, job.id, performer.type, performer.id, performer.name, this.clock.now()],
    );
  }

  private async emit(tx: EntityManager, job: JobRow, from: string, to: string, performer: Actor, ctx?: RequestContext) {
    if (!this.outbox) return;
    // The dispatcher's own hand-offs (pending → queued → executing) are history, not news for other services.
    if (performer.type !== 'user' && INTERNAL_STEPS.has(to)) return;
    const context = ctx ?? { ...systemContext(job.tenantId), actor: performer };
    await this.outbox.append(tx, context, [
      {
        type: 'JTD_STATUS_CHANGED',
        aggregateId: job.id,
        aggregateVersion: job.version + 1,
        payload: { jtdId: job.id, sourceType: job.sourceTypeCode, sourceId: job.sourceId ?? undefined, channel: job.channelCode, previousStatus: from, newStatus: to },
      },
    ]);
  }
}
