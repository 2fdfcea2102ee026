import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { UpdateEventDto } from '@app/shared/api/events/contract-events.dto';
import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractRepository } from '../../contracts/contract.repository';
import { ContractEventRepository } from '../contract-event.repository';
import { AuditEntry, EventAuditRepository } from '../event-audit.repository';
import { EventAssigneeRepository } from '../event-assignee.repository';
import { eventView } from '../event.view';
import { lockEvent } from './event-lookup';

/** Reschedules an event (with a reason; originalDate never changes) and/or edits its notes. */
@Injectable()
export class UpdateEventUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly contracts: ContractRepository,
    private readonly audit: EventAuditRepository,
    private readonly assignees: EventAssigneeRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: UpdateEventDto): Promise<ContractEventView> {
    return this.db.run(async (tx) => {
      const e = await lockEvent(tx, this.events, ctx.tenantId, input.id, input.version);
      const contract = (await this.contracts.findById(tx, ctx.tenantId, e.contractId))!;
      const now = this.clock.now();
      const entries: AuditEntry[] = [];
      const base = { tenantId: ctx.tenantId, eventId: e.id, actor: ctx.actor, source: sourceOf(ctx.actor), at: now };
      let newDate: Date | undefined;
      if (input.scheduledDate !== undefined) {
        const d = DateTime.fromISO(input.scheduledDate, { zone: contract.timezone }).startOf('day').toJSDate();
        if (d.getTime() !== new Date(e.scheduledDate).getTime()) {
          if (!input.reason?.trim()) throw DomainError.validation({ reason: ['a reschedule needs a reason'] });
          newDate = d;
          entries.push({ ...base, field: 'scheduled_date', from: new Date(e.scheduledDate).toISOString(), to: d.toISOString(), reason: input.reason });
        }
      }
      const notesChanged = input.notes !== undefined && input.notes !== e.notes;
      if (notesChanged) entries.push({ ...base, field: 'notes', from: e.notes, to: input.notes!, reason: input.reason ?? null });
      if (entries.length === 0) return eventView(e, (await this.assignees.ofEvents(tx, ctx.tenantId, [e.id])).get(e.id) ?? []);
      const version = await this.events.setFields(tx, e, { scheduledDate: newDate, ...(notesChanged ? { notes: input.notes } : {}) }, now);
      await this.audit.append(tx, entries);
      if (newDate) {
        const notifyStaff = input.notifyStaff ?? true;
        const notifyClient = input.notifyClient ?? false;
        await this.outbox.append(tx, ctx, [
          {
            type: 'CONTRACT_EVENT_RESCHEDULED',
            aggregateId: e.id,
            aggregateVersion: version,
            payload: {
              eventId: e.id,
              contractId: e.contractId,
              eventType: e.eventType,
              previousDate: new Date(e.scheduledDate).toISOString(),
              newDate: newDate.toISOString(),
              originalDate: new Date(e.originalDate).toISOString(),
              reason: input.reason!,
              notifyStaff,
              notifyClient,
              occurredAt: now.toISOString(),
            },
          },
          {
            // The seed's name for the same fact, so that consumers written against the seed hear of it too.
            type: 'EVENT_RESCHEDULED',
            aggregateId: e.id,
            aggregateVersion: version,
            payload: {
              eventId: e.id,
              bookingId: e.contractId,
              contractId: e.contractId,
              eventType: e.eventType,
              rescheduledBy: ctx.actor.id,
              rescheduledAt: now.toISOString(),
              originalDate: new Date(e.originalDate).toISOString(),
              previousDate: new Date(e.scheduledDate).toISOString(),
              newDate: newDate.toISOString(),
              reason: input.reason!,
              notifyStaff,
              notifyClient,
              occurredAt: now.toISOString(),
            },
          },
        ]);
      }
      const saved = (await this.events.findById(tx, ctx.tenantId, e.id))!;
      return eventView(saved, (await this.assignees.ofEvents(tx, ctx.tenantId, [e.id])).get(e.id) ?? []);
    });
  }
}
