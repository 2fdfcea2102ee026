import { Injectable } from '@nestjs/common';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { NewDomainEvent } from '@app/shared/messaging/envelope';
import { Outbox, OutboxGroup } from '@app/shared/messaging/outbox';
import { ContractHistoryRepository } from './contract-history.repository';
import { ContractRow } from './contract.repository';

export interface ContractStatusChange {
  before: Pick<ContractRow, 'id' | 'status' | 'createdAt'>;
  /** The contract as saved (its new status and version). */
  after: Pick<ContractRow, 'id' | 'status' | 'version' | 'contractNumber' | 'title' | 'customer'>;
  reason: string | null;
}

/** A change made on behalf of its own request (a shared activation transaction answers several). */
export interface ContractStatusChangeOf extends ContractStatusChange {
  ctx: RequestContext;
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

  record(tx: Db, ctx: RequestContext, changes: ContractStatusChange[], at: Date): Promise<void> {
    return this.recordMany(
      tx,
      changes.map((c) => ({ ...c, ctx })),
      at,
    );
  }

  /** When each contract last changed status (absent: never): for a caller that reads it alongside other statements. */
  lastChanges(tx: Db, tenantId: string, contractIds: string[]): Promise<Map<string, Date>> {
    return this.history.lastChanges(tx, tenantId, contractIds);
  }

  /**
   * `record` for changes of one tenant made for several requests: one history insert and one outbox append
   * for all, sent together. `last` (lastChanges of these contracts) saves the read; `announceFirst` goes into
   * the same outbox statement, before the status changes.
   */
  async recordMany(tx: Db, changes: ContractStatusChangeOf[], at: Date, opts: { last?: Map<string, Date>; announceFirst?: OutboxGroup[] } = {}): Promise<void> {
    const moved = changes.filter((c) => c.before.status !== c.after.status);
    const first = opts.announceFirst ?? [];
    if (moved.length === 0) {
      if (first.length > 0) await this.outbox.appendGroups(tx, first);
      return;
    }
    const tenantId = moved[0].ctx.tenantId;
    if (moved.some((c) => c.ctx.tenantId !== tenantId)) throw new Error('recordMany takes changes of one tenant');
    const last =
      opts.last ??
      (await this.history.lastChanges(
        tx,
        tenantId,
        moved.map((c) => c.before.id),
      ));
    const rows = moved.map((c) => {
      const since = last.get(c.before.id) ?? new Date(c.before.createdAt);
      return {
        tenantId,
        subjectId: c.before.id,
        from: c.before.status,
        to: c.after.status,
        actor: c.ctx.actor,
        source: sourceOf(c.ctx.actor),
        reason: c.reason,
        secondsInPrevious: Math.max(0, Math.round((at.getTime() - since.getTime()) / 1000)),
        isValidTransition: true,
        at,
      };
    });
    // Both statements go to the connection at once: one wait instead of two.
    await Promise.all([
      this.history.append(tx, rows),
      this.outbox.appendGroups(tx, [...first, ...moved.map((c) => ({ ctx: c.ctx, events: [this.announcement(c, at)] }))]),
    ]);
  }

  private announcement({ ctx, before, after, reason }: ContractStatusChangeOf, at: Date): NewDomainEvent {
    return {
      type: 'CONTRACT_STATUS_CHANGED',
      aggregateId: after.id,
      payload: {
        contractId: after.id,
        contractNumber: after.contractNumber,
        title: after.title,
        ...(after.customer?.name ? { customer: after.customer } : {}),
        previousStatus: before.status,
        newStatus: after.status,
        ...(reason ? { reason } : {}),
        changedBy: { type: ctx.actor.type, id: ctx.actor.id, name: ctx.actor.name },
        source: sourceOf(ctx.actor),
        version: after.version,
        occurredAt: at.toISOString(),
      },
    };
  }
}
