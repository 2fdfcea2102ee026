import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { ContractEventRepository } from '../contract-event.repository';
import { EventAssigneeRepository } from '../event-assignee.repository';
import { EventTaskRepository } from '../event-task.repository';
import { eventView } from '../event.view';

@Injectable()
export class GetEventUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: ContractEventRepository,
    private readonly assignees: EventAssigneeRepository,
    private readonly tasks: EventTaskRepository,
  ) {}

  async execute(ctx: RequestContext, input: { id: string }) {
    const m = this.dataSource.manager;
    const e = await this.events.findById(m, ctx.tenantId, input.id);
    if (!e) throw DomainError.notFound('event', input.id);
    const [people, tasks] = await Promise.all([this.assignees.ofEvents(m, ctx.tenantId, [e.id]), this.tasks.ofEvent(m, ctx.tenantId, e.id)]);
    return eventView(e, people.get(e.id) ?? [], { tasks: tasks.map(taskView) });
  }
}

export function taskView(t: { id: string; title: string; dueDate: string | null; required: boolean; done: boolean; doneAt: Date | null; isAutoTriggered: boolean; source: string; createdAt: Date; updatedAt: Date }) {
  return {
    id: t.id,
    title: t.title,
    dueDate: t.dueDate,
    required: t.required,
    done: t.done,
    doneAt: t.doneAt ? new Date(t.doneAt).toISOString() : null,
    isAutoTriggered: t.isAutoTriggered,
    source: t.source,
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
  };
}
