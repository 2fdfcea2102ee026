import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { ContractEventRepository } from '../contract-event.repository';
import { eventView } from '../event.view';

@Injectable()
export class GetEventUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: ContractEventRepository,
  ) {}

  async execute(ctx: RequestContext, input: { id: string }) {
    const e = await this.events.findWithDetails(this.dataSource.manager, ctx.tenantId, input.id, { tasks: true });
    if (!e) throw DomainError.notFound('event', input.id);
    return eventView(e, e.assignees, { tasks: (e.tasks ?? []).map(taskView) });
  }
}

export function taskView(t: {
  id: string;
  title: string;
  dueDate: string | null;
  required: boolean;
  done: boolean;
  doneAt: Date | string | null;
  isAutoTriggered: boolean;
  source: string;
  createdAt: Date | string;
  updatedAt: Date | string;
}) {
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
