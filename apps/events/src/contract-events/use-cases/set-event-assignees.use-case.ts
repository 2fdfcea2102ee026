import { Injectable } from '@nestjs/common';
import { SetEventAssigneesDto } from '@app/shared/api/events/contract-events.dto';
import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { AppointmentViewRepository, visitLocationRef } from '../../appointment-sync/appointment-view.repository';
import { ContractEventRepository, ContractEventRow } from '../contract-event.repository';
import { EventAssigneeRepository } from '../event-assignee.repository';
import { EventAuditRepository } from '../event-audit.repository';
import { eventView } from '../event.view';
import { lockEvent } from './event-lookup';

/** Replaces the people on an event (several per event; assignee | account_manager | observer). */
@Injectable()
export class SetEventAssigneesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly assignees: EventAssigneeRepository,
    private readonly audit: EventAuditRepository,
    private readonly visits: AppointmentViewRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: SetEventAssigneesDto): Promise<ContractEventView> {
    const seen = new Set<string>();
    input.assignees.forEach((a, i) => {
      const key = `${a.userId}:${a.role}`;
      if (seen.has(key)) throw DomainError.validation({ [`assignees.${i}`]: [`user ${a.userId} is listed twice as ${a.role}`] });
      seen.add(key);
    });
    return this.db.run(async (tx) => {
      const e = await lockEvent(tx, this.events, ctx.tenantId, input.id);
      const before = (await this.assignees.ofEvents(tx, ctx.tenantId, [e.id])).get(e.id) ?? [];
      const describe = (list: Array<{ userId: string; role: string }>) =>
        list
          .map((a) => `${a.role}:${a.userId}`)
          .sort()
          .join(',');
      if (describe(before) === describe(input.assignees)) return eventView(e, before);
      const now = this.clock.now();
      await this.assignees.replace(tx, ctx.tenantId, e.id, input.assignees, now);
      const version = await this.events.touch(tx, e, now);
      await this.audit.append(tx, [
        {
          tenantId: ctx.tenantId,
          eventId: e.id,
          field: 'assignees',
          from: describe(before) || null,
          to: describe(input.assignees) || null,
          actor: ctx.actor,
          source: sourceOf(ctx.actor),
          at: now,
        },
      ]);
      await this.outbox.append(tx, ctx, [
        {
          type: 'CONTRACT_EVENT_ASSIGNED',
          aggregateId: e.id,
          aggregateVersion: version,
          payload: {
            eventId: e.id,
            contractId: e.contractId,
            assignees: input.assignees.map((a) => ({ userId: a.userId, ...(a.name ? { name: a.name } : {}), role: a.role })),
            occurredAt: now.toISOString(),
          },
        },
        ...(await this.managersAssigned(tx, ctx, e, before, input.assignees, version, now)),
      ]);
      const after = (await this.assignees.ofEvents(tx, ctx.tenantId, [e.id])).get(e.id) ?? [];
      return eventView({ ...e, version, updatedAt: now }, after);
    });
  }

  /** EVENT_ASSIGNED_TO_MANAGER (seed §2) for each account manager the new list adds, with the event's date and visit location. */
  private async managersAssigned(
    tx: Db,
    ctx: RequestContext,
    e: ContractEventRow,
    before: Array<{ userId: string; role: string }>,
    after: SetEventAssigneesDto['assignees'],
    version: number,
    now: Date,
  ) {
    const had = new Set(before.filter((a) => a.role === 'account_manager').map((a) => a.userId));
    const added = after.filter((a) => a.role === 'account_manager' && !had.has(a.userId));
    if (added.length === 0) return [];
    const location = visitLocationRef(await this.visits.nextOfEvent(tx, ctx.tenantId, e.id));
    return added.map((m) => ({
      type: 'EVENT_ASSIGNED_TO_MANAGER',
      aggregateId: e.id,
      aggregateVersion: version,
      payload: {
        eventId: e.id,
        bookingId: e.contractId,
        contractId: e.contractId,
        managerId: m.userId,
        ...(m.name ? { managerName: m.name } : {}),
        assignedBy: ctx.actor.id,
        assignedAt: now.toISOString(),
        eventDate: new Date(e.scheduledDate).toISOString(),
        ...(location ? { location } : {}),
        occurredAt: now.toISOString(),
      },
    }));
  }
}
