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
 * SQL types of the columns a bulk move may set, for `jsonb_to_recordset`. jsonb columns travel as JSON text
 * (callers pass JSON.stringify'd values, as for `move`) and are cast on the way in.
 */
const SETTABLE: Record<string, string> = {
  lease_owner: 'text', lease_until: 'timestamptz', next_attempt_at: 'timestamptz', last_error: 'text', error_code: 'text',
  send_started_at: 'timestamptz', attempts: 'int', recipient_contact: 'text', rendered: 'jsonb', provider_message_id: 'text',
  provider_code: 'text', sent_at: 'timestamptz', cost: 'numeric', provider_response: 'jsonb', completed_at: 'timestamptz', auto_execute: 'boolean',
};

/** One job's moves in a bulk: `path` is the statuses it goes through in order (history gets one row each). */
export interface BulkMove {
  job: JobRow;
  path: string[];
  performer: Actor;
  /** Note, details and `set` belong to the last step. */
  opts?: MoveOptions;
}

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
    return (await this.moveMany(tx, [{ job, path: [to], performer, opts }]))[0];
  }

  /**
   * Moves many jobs at once (each locked by the caller in `tx`), each through its `path`: one statement for
   * the UPDATEs (one per shape of `set`) and the history rows, one outbox append per context, whatever the
   * number of jobs. Returns the updated copies, in order.
   */
  async moveMany(tx: EntityManager, moves: BulkMove[]): Promise<JobRow[]> {
    const now = this.clock.now();
    const history: Record<string, unknown>[] = [];
    const groups = new Map<string, Record<string, unknown>[]>();
    const events: Array<{ job: JobRow; from: string; to: string; performer: Actor; version: number; ctx?: RequestContext }> = [];
    const out: JobRow[] = [];
    for (const m of moves) {
      const machine = await this.machine(m.job.tenantId, m.job.eventTypeCode, tx);
      let from = m.job.statusCode;
      let since = new Date(m.job.statusChangedAt).getTime();
      let valid = true;
      m.path.forEach((to, i) => {
        const last = i === m.path.length - 1;
        const verdict = machine.check({ from, to });
        valid = verdict.isValidTransition;
        if (!valid) this.logger.warn(`job ${m.job.id} moved ${from} → ${to}, which its flow does not define (allowed, flagged)`);
        history.push({
          tenant_id: m.job.tenantId, jtd_id: m.job.id, from_status: from, to_status: to, is_valid_transition: valid,
          performed_by_type: m.performer.type, performed_by_id: m.performer.id, performed_by_name: m.performer.name,
          note: last ? (m.opts?.note ?? null) : null, details: last ? (m.opts?.details ?? {}) : {},
          duration_seconds: Math.max(0, Math.round((now.getTime() - since) / 1000)),
        });
        events.push({ job: m.job, from, to, performer: m.performer, version: m.job.version + i + 1, ctx: m.opts?.ctx });
        from = to;
        since = now.getTime();
      });
      const set = m.opts?.set ?? {};
      const cols = Object.keys(set).sort();
      for (const c of cols) if (!SETTABLE[c]) throw new Error(`moveMany cannot set ${c}`);
      const shape = cols.join(',');
      if (!groups.has(shape)) groups.set(shape, []);
      groups.get(shape)!.push({
        id: m.job.id, tenant_id: m.job.tenantId, status_code: from, previous_status_code: m.path.length > 1 ? m.path[m.path.length - 2] : m.job.statusCode,
        is_valid_transition: valid, performed_by_type: m.performer.type, performed_by_id: m.performer.id, performed_by_name: m.performer.name,
        steps: m.path.length, ...set,
      });
      out.push({ ...m.job, statusCode: from, previousStatusCode: m.path.length > 1 ? m.path[m.path.length - 2] : m.job.statusCode, statusChangedAt: now, isValidTransition: valid, version: m.job.version + m.path.length });
    }
    // Every UPDATE and the history rows in one statement: one round trip, whatever the number of jobs.
    const params: unknown[] = [now];
    const ctes: string[] = [];
    for (const [shape, rows] of groups) {
      const cols = shape ? shape.split(',') : [];
      params.push(JSON.stringify(rows));
      ctes.push(`u${ctes.length} AS (
        UPDATE jobs j SET status_code = v.status_code, previous_status_code = v.previous_status_code, status_changed_at = $1, is_valid_transition = v.is_valid_transition,
          performed_by_type = v.performed_by_type, performed_by_id = v.performed_by_id, performed_by_name = v.performed_by_name, updated_at = $1,
          version = j.version + v.steps${cols.map((c) => `, ${c} = v.${c}${SETTABLE[c] === 'jsonb' ? '::jsonb' : ''}`).join('')}
        FROM jsonb_to_recordset($${params.length}::jsonb) AS v(id uuid, tenant_id uuid, status_code text, previous_status_code text, is_valid_transition boolean,
          performed_by_type text, performed_by_id uuid, performed_by_name text, steps int${cols.map((c) => `, ${c} ${SETTABLE[c] === 'jsonb' ? 'text' : SETTABLE[c]}`).join('')})
        WHERE j.id = v.id AND j.tenant_id = v.tenant_id RETURNING 1)`);
    }
    if (history.length) {
      params.push(JSON.stringify(history));
      ctes.push(`h AS (
        INSERT INTO status_history (tenant_id, jtd_id, from_status, to_status, is_valid_transition, performed_by_type, performed_by_id,
          performed_by_name, note, details, duration_seconds, at)
        SELECT h.tenant_id, h.jtd_id, h.from_status, h.to_status, h.is_valid_transition, h.performed_by_type, h.performed_by_id,
          h.performed_by_name, h.note, h.details, h.duration_seconds, $1
        FROM jsonb_to_recordset($${params.length}::jsonb) AS h(tenant_id uuid, jtd_id uuid, from_status text, to_status text, is_valid_transition boolean,
          performed_by_type text, performed_by_id uuid, performed_by_name text, note text, details jsonb, duration_seconds int)
        RETURNING 1)`);
    }
    if (ctes.length) await tx.query(`WITH ${ctes.join(', ')} SELECT 1`, params);
    await this.emitMany(tx, events);
    return out;
  }

  /** First history row of a new job (from nothing to `created`). */
  async created(tx: EntityManager, job: JobRow, performer: Actor): Promise<void> {
    await tx.query(
      `INSERT INTO status_history (tenant_id, jtd_id, from_status, to_status, is_valid_transition, performed_by_type, performed_by_id, performed_by_name, note, at)
       VALUES ($1,$2,NULL,'created',true,$3,$4,$5,'job created',$6)`,
      [job.tenantId, job.id, performer.type, performer.id, performer.name, this.clock.now()],
    );
  }

  /** The JTD_STATUS_CHANGED of many moves: one outbox append per context (tenant, performer). */
  async emitMany(tx: EntityManager, moves: Array<{ job: JobRow; from: string; to: string; performer: Actor; version: number; ctx?: RequestContext }>) {
    if (!this.outbox) return;
    const byContext = new Map<string, { ctx: RequestContext; events: any[] }>();
    for (const m of moves) {
      if (m.performer.type !== 'user' && INTERNAL_STEPS.has(m.to)) continue;
      const key = m.ctx ? `ctx:${m.ctx.correlationId}:${m.ctx.tenantId}` : `${m.job.tenantId}:${m.performer.type}:${m.performer.id}`;
      if (!byContext.has(key)) byContext.set(key, { ctx: m.ctx ?? { ...systemContext(m.job.tenantId), actor: m.performer }, events: [] });
      byContext.get(key)!.events.push({
        type: 'JTD_STATUS_CHANGED',
        aggregateId: m.job.id,
        aggregateVersion: m.version,
        payload: { jtdId: m.job.id, sourceType: m.job.sourceTypeCode, sourceId: m.job.sourceId ?? undefined, channel: m.job.channelCode, previousStatus: m.from, newStatus: m.to },
      });
    }
    for (const { ctx, events } of byContext.values()) await this.outbox.append(tx, ctx, events);
  }
}
