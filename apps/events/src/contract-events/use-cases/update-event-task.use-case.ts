import { Injectable } from '@nestjs/common';
import { UpdateEventTaskDto } from '@app/shared/api/events/contract-events.dto';
import type { EventTaskView } from '@app/shared/api/events/contract-events.views';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../contract-event.repository';
import { AuditEntry, EventAuditRepository } from '../event-audit.repository';
import { EventTaskRepository } from '../event-task.repository';
import { lockEvent } from './event-lookup';
import { taskView } from '../event.view';

/** Edits or ticks off a sub-task; completing one emits EVENT_TASK_COMPLETED. */
@Injectable()
export class UpdateEventTaskUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly tasks: EventTaskRepository,
    private readonly audit: EventAuditRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: UpdateEventTaskDto): Promise<EventTaskView> {
    return this.db.run(async (tx) => {
      const e = await lockEvent(tx, this.events, ctx.tenantId, input.id);
      const t = await this.tasks.find(tx, ctx.tenantId, e.id, input.taskId);
      if (!t) throw DomainError.notFound('task', input.taskId);
      // An activity is done by its own route, which keeps its rules (started first, by whom, outcomes).
      if (t.kind === 'activity' && input.done !== undefined && input.done !== t.done) {
        throw DomainError.rule(`sub-task ${t.id} is an activity: complete it with POST /v1/events/${e.id}/activities/${t.id}/complete`, { activityId: t.id });
      }
      const now = this.clock.now();
      const next = { ...t };
      const entries: AuditEntry[] = [];
      const base = { tenantId: ctx.tenantId, eventId: e.id, actor: ctx.actor, source: sourceOf(ctx.actor), at: now, field: 'task' };
      for (const f of ['title', 'dueDate', 'required', 'done'] as const) {
        if (input[f] === undefined || input[f] === t[f]) continue;
        Object.assign(next, { [f]: input[f] });
        entries.push({ ...base, from: `${t.id}.${f}=${String(t[f])}`, to: `${t.id}.${f}=${String(input[f])}` });
      }
      if (entries.length === 0) return taskView(t);
      const completed = next.done && !t.done;
      next.doneAt = next.done ? (t.doneAt ?? now) : null;
      const saved = await this.tasks.update(tx, ctx.tenantId, next, now);
      const version = await this.events.touch(tx, e, now);
      await this.audit.append(tx, entries);
      if (completed) {
        await this.outbox.append(tx, ctx, [
          {
            type: 'EVENT_TASK_COMPLETED',
            aggregateId: e.id,
            aggregateVersion: version,
            payload: {
              eventTaskId: t.id,
              eventId: e.id,
              contractId: e.contractId,
              title: saved.title,
              completedAt: now.toISOString(),
              occurredAt: now.toISOString(),
            },
          },
        ]);
      }
      return taskView(saved);
    });
  }
}
