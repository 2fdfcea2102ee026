import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { secondsSince } from '@app/shared/status-machine/status-machine';
import { StatusHistoryEntity } from '../tickets/ticket.entities';

/** Writes one history row: from, to, actor, reason and the time spent in the previous status. */
export async function recordStatusChange(
  tx: EntityManager,
  ctx: RequestContext,
  entry: { entityType: 'ticket' | 'appointment'; entityId: string; from: string | null; to: string; reason?: string | null; since?: Date | null; at: Date },
): Promise<void> {
  await tx.insert(StatusHistoryEntity, {
    id: randomUUID(),
    tenantId: ctx.tenantId,
    entityType: entry.entityType,
    entityId: entry.entityId,
    fromStatus: entry.from,
    toStatus: entry.to,
    reason: entry.reason ?? null,
    actor: { type: ctx.actor.type, id: ctx.actor.id, name: ctx.actor.name },
    secondsInPrevious: secondsSince(entry.since ?? null, entry.at),
    at: entry.at,
  });
}
