import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { secondsSince } from '@app/shared/status-machine/status-machine';
import { Clock } from '@app/shared/time/clock';
import { MONEY_DRIVEN_STATUSES } from '../status-config/default-flows';
import { EventFlow } from '../status-config/event-flow';
import { EventFlowService } from '../status-config/event-flow.service';
import { ContractEventRepository, ContractEventRow } from './contract-event.repository';
import { EventAuditRepository } from './event-audit.repository';
import { EventEvidenceRepository } from './event-evidence.repository';
import { EventTaskRepository } from './event-task.repository';

export interface MoveOptions {
  reason?: string | null;
  evidenceIds?: string[] | null;
  /** `person`: a user's request (money-driven statuses refused); `system`: scheduler, payments, ticket sync. */
  by: 'person' | 'system';
  /** Skips the flow check: only contract cancellation, which closes every open event whatever the flow says. */
  force?: boolean;
  flow?: EventFlow;
}

/**
 * The one place a contract event changes status: validates the move against the tenant's flow (every event
 * type, unlike the system we replace), enforces reason, evidence and sub-task gates, writes the status, the
 * audit row and CONTRACT_EVENT_STATUS_CHANGED in the caller's transaction. The caller holds the row lock.
 */
@Injectable()
export class EventStatusMover {
  constructor(
    private readonly flows: EventFlowService,
    private readonly events: ContractEventRepository,
    private readonly audit: EventAuditRepository,
    private readonly evidence: EventEvidenceRepository,
    private readonly tasks: EventTaskRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  flowFor(tx: EntityManager, tenantId: string, eventType: string): Promise<EventFlow> {
    return this.flows.load(tx, tenantId, eventType);
  }

  async move(tx: EntityManager, ctx: RequestContext, event: ContractEventRow, to: string, opts: MoveOptions): Promise<ContractEventRow> {
    const flow = opts.flow ?? (await this.flows.load(tx, ctx.tenantId, event.eventType));
    if (!opts.force) await this.check(tx, ctx, event, to, flow, opts);
    const now = this.clock.now();
    const audit = this.audit.insertOf(
      [
        {
          tenantId: ctx.tenantId,
          eventId: event.id,
          field: 'status',
          from: event.status,
          to,
          actor: ctx.actor,
          source: sourceOf(ctx.actor),
          reason: opts.reason ?? null,
          timeInPreviousStatus: secondsSince(event.statusChangedAt, now),
          at: now,
        },
      ],
      5,
    );
    // The status and its audit row in one statement: one round trip less while the row is locked.
    const version = await this.events.setStatus(tx, event, to, now, audit);
    await this.outbox.append(tx, ctx, [
      {
        type: 'CONTRACT_EVENT_STATUS_CHANGED',
        aggregateId: event.id,
        aggregateVersion: version,
        payload: {
          eventId: event.id,
          contractId: event.contractId,
          eventType: event.eventType,
          taskId: event.taskId,
          previousStatus: event.status,
          newStatus: to,
          ...(opts.reason ? { reason: opts.reason } : {}),
          ...(opts.evidenceIds?.length ? { evidenceIds: opts.evidenceIds } : {}),
          changedAt: now.toISOString(),
          source: sourceOf(ctx.actor),
          occurredAt: now.toISOString(),
        },
      },
    ]);
    return { ...event, status: to, statusChangedAt: now, version, updatedAt: now };
  }

  private async check(tx: EntityManager, ctx: RequestContext, event: ContractEventRow, to: string, flow: EventFlow, opts: MoveOptions) {
    if (opts.by === 'person' && event.eventType === 'billing' && MONEY_DRIVEN_STATUSES.includes(to) && flow.transition(event.status, to)?.isAutomatic) {
      throw new DomainError(ErrorCode.TRANSITION_NOT_ALLOWED, `${to} is set by recording a payment (POST /v1/events/{id}/payments), not by hand`, {
        from: event.status,
        to,
      });
    }
    const verdict = flow.machine.check({ from: event.status, to, reason: opts.reason, evidenceIds: opts.evidenceIds });
    const evidenceIds = opts.evidenceIds ?? [];
    const required = verdict.transition?.requiresEvidence === true;
    // A person's ids come from a request body: each must be this tenant's evidence of this event, even where
    // the move needs none (it travels on in CONTRACT_EVENT_STATUS_CHANGED). Another tenant's id is unknown here.
    if (required || (opts.by === 'person' && evidenceIds.length > 0)) {
      if (opts.by === 'person') {
        const unknown = await this.evidence.unknown(tx, ctx.tenantId, evidenceIds);
        if (unknown.length > 0) throw new DomainError(ErrorCode.NOT_FOUND, `evidence ${unknown.join(', ')} was not found`, { evidenceIds: unknown });
      }
      const missing = await this.evidence.missing(tx, ctx.tenantId, event.id, evidenceIds);
      if (missing.length > 0) {
        throw new DomainError(required ? ErrorCode.EVIDENCE_REQUIRED : ErrorCode.BUSINESS_RULE, `evidence ${missing.join(', ')} is not recorded on a ticket of this event`, {
          from: event.status,
          to,
          unknownEvidenceIds: missing,
        });
      }
    }
    if (flow.isTaskGated(event.status, to)) {
      const open = await this.tasks.openRequired(tx, ctx.tenantId, event.id);
      if (open.length > 0) {
        throw DomainError.rule(`moving to ${to} needs every required sub-task done; ${open.length} still open`, {
          from: event.status,
          to,
          openTaskIds: open.map((t) => t.id),
        });
      }
    }
  }
}
