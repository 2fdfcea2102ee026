import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CreateEventTaskDto } from '@app/shared/api/events/contract-events.dto';
import type { EventTaskView } from '@app/shared/api/events/contract-events.views';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository, ContractEventRow } from '../contract-event.repository';
import { EventAuditRepository } from '../event-audit.repository';
import { EventTaskRepository } from '../event-task.repository';
import { lockEvent } from './event-lookup';
import { taskView } from '../event.view';

/** Adds a sub-task to an event. VaNi or the system create theirs as auto-triggered (source from the actor). */
@Injectable()
export class CreateEventTaskUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly tasks: EventTaskRepository,
    private readonly audit: EventAuditRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CreateEventTaskDto): Promise<EventTaskView> {
    return this.db.run(async (tx) => {
      const e = await lockEvent(tx, this.events, ctx.tenantId, input.id);
      return taskView(await this.create(tx, ctx, e, input));
    });
  }

  async create(tx: Db, ctx: RequestContext, e: ContractEventRow, input: Omit<CreateEventTaskDto, 'id'>) {
    const now = this.clock.now();
    const source = sourceOf(ctx.actor);
    const done = input.done ?? false;
    const task = await this.tasks.insert(
      tx,
      ctx.tenantId,
      {
        id: randomUUID(),
        eventId: e.id,
        title: input.title,
        dueDate: input.dueDate ?? null,
        required: input.required ?? false,
        done,
        doneAt: done ? now : null,
        isAutoTriggered: source !== 'user',
        source,
      },
      now,
    );
    const version = await this.events.touch(tx, e, now);
    await this.audit.append(tx, [
      {
        tenantId: ctx.tenantId,
        eventId: e.id,
        field: 'task',
        from: null,
        to: `${task.id}: ${task.title}${done ? ' (done)' : ''}`,
        actor: ctx.actor,
        source,
        at: now,
      },
    ]);
    const common = { eventTaskId: task.id, eventId: e.id, contractId: e.contractId, title: task.title, occurredAt: now.toISOString() };
    await this.outbox.append(tx, ctx, [
      {
        type: 'EVENT_TASK_CREATED',
        aggregateId: e.id,
        aggregateVersion: version,
        payload: { ...common, ...(task.dueDate ? { dueDate: task.dueDate } : {}), required: task.required, isAutoTriggered: task.isAutoTriggered, source },
      },
      ...(done ? [{ type: 'EVENT_TASK_COMPLETED', aggregateId: e.id, payload: { ...common, completedAt: now.toISOString() } }] : []),
    ]);
    return task;
  }
}
