import { Injectable } from '@nestjs/common';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Outbox } from '@app/shared/messaging/outbox';
import { ContractHistoryRepository } from './contract-history.repository';
import { ContractRow } from './contract.repository';

export interface ContractStatusChange {
  before: Pick<ContractRow, 'id' | 'status' | 'createdAt'>;
  /** The contract as saved (its new status and version). */
  after: Pick<ContractRow, 'id' | 'status' | 'version' | 'contractNumber' | 'title' | 'customer'>;
  reason: string | null;
}

/**
 * The one place a contract's status change is recorded: a status history row (who, source, reason, time
 * in the previous status) and CONTRACT_STATUS_CHANGED in the outbox, in the caller's transaction. Changes
 * whose status did not move are skipped, so callers may pass every contract they saved. The event carries
 * the new version in its payload, not as aggregateVersion: it accompanies the BOOKING_* or
 * CONTRACT_ACTIVATED message that carries that version (one version, one event for ordered consumers).
 */
@Injectable()
export class ContractStatusRecorder {
  constructor(
    private readonly history: ContractHistoryRepository,
    private readonly outbox: Outbox,
  ) {}

  async record(tx: Db, ctx: RequestContext, changes: ContractStatusChange[], at: Date): Promise<void> {
    const moved = changes.filter((c) => c.before.status !== c.after.status);
    if (moved.length === 0) return;
    const last = await this.history.lastChanges(
      tx,
      ctx.tenantId,
      moved.map((c) => c.before.id),
    );
    const source = sourceOf(ctx.actor);
    await this.history.append(
      tx,
      moved.map((c) => {
        const since = last.get(c.before.id) ?? new Date(c.before.createdAt);
        return {
          tenantId: ctx.tenantId,
          subjectId: c.before.id,
          from: c.before.status,
          to: c.after.status,
          actor: ctx.actor,
          source,
          reason: c.reason,
          secondsInPrevious: Math.max(0, Math.round((at.getTime() - since.getTime()) / 1000)),
          isValidTransition: true,
          at,
        };
      }),
    );
    await this.outbox.append(
      tx,
      ctx,
      moved.map((c) => ({
        type: 'CONTRACT_STATUS_CHANGED',
        aggregateId: c.after.id,
        payload: {
          contractId: c.after.id,
          contractNumber: c.after.contractNumber,
          title: c.after.title,
          ...(c.after.customer?.name ? { customer: c.after.customer } : {}),
          previousStatus: c.before.status,
          newStatus: c.after.status,
          ...(c.reason ? { reason: c.reason } : {}),
          changedBy: { type: ctx.actor.type, id: ctx.actor.id, name: ctx.actor.name },
          source,
          version: c.after.version,
          occurredAt: at.toISOString(),
        },
      })),
    );
  }
}
