import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { CreateOnDemandEventDto } from '@app/shared/api/events/contracts.dto';
import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { StatusHistoryWriter } from '@app/shared/status-machine/status-history';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository, NewContractEventRow, UnnumberedContractEventRow } from '../../contract-events/contract-event.repository';
import { createdPayload, eventView } from '../../contract-events/event.view';
import { EventFlowService } from '../../status-config/event-flow.service';
import { ContractRepository } from '../contract.repository';
import { SparePartBalance } from '../spare-part-balance';
import { lockContract, requireStatus } from './contract-lookup';

/**
 * An event created on request: a spare part (unlimited, or limited within what is still available) or an
 * ad-hoc service visit. The contract row lock serialises requests, so two requests cannot both take the
 * last unit.
 */
@Injectable()
export class CreateOnDemandEventUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly events: ContractEventRepository,
    private readonly history: StatusHistoryWriter,
    private readonly flows: EventFlowService,
    private readonly balance: SparePartBalance,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CreateOnDemandEventDto): Promise<ContractEventView> {
    return this.db.run(async (tx) => {
      const c = await lockContract(tx, this.contracts, ctx.tenantId, input.id);
      requireStatus(c, ['active'], 'given on-demand events');
      const quantity = input.quantity ?? 1;
      const scheduled = DateTime.fromISO(input.scheduledDate, { zone: c.timezone }).startOf('day');
      let title = input.title ?? 'Ad-hoc service visit';
      let partId: string | null = null;
      let promiseQty: number | null = null;
      let unlimited = false;
      if (input.type === 'spare_part') {
        if (!input.partId) throw DomainError.validation({ partId: ['partId is required for a spare part'] });
        const part = c.spareParts.find((p) => p.partId === input.partId);
        if (!part) throw DomainError.rule(`part ${input.partId} is not promised by this contract`, { partId: input.partId });
        const bal = (await this.balance.of(tx, c)).find((b) => b.partId === part.partId)!;
        if (!bal.unlimited && quantity > (bal.availableQty ?? 0)) {
          throw DomainError.rule(`only ${bal.availableQty} of ${part.name} remain to be requested; asked for ${quantity}`, {
            partId: part.partId,
            availableQty: bal.availableQty,
            requestedQty: quantity,
          });
        }
        title = input.title ?? `${part.name} (on demand)`;
        partId = part.partId;
        promiseQty = part.promisedQty ?? null;
        unlimited = bal.unlimited;
      }
      const now = this.clock.now();
      const flow = await this.flows.load(tx, ctx.tenantId, input.type);
      const unnumbered: UnnumberedContractEventRow = {
        id: randomUUID(),
        contractId: c.id,
        eventType: input.type,
        title,
        status: flow.initial.code,
        scheduledDate: scheduled.toJSDate(),
        originalDate: scheduled.toJSDate(),
        sequenceNumber: null,
        totalOccurrences: null,
        promiseKey: partId ? `part:${partId}` : 'service:on_demand',
        partId,
        promiseQty,
        quantity,
        isUnlimited: unlimited,
        amount: null,
        currency: null,
        source: sourceOf(ctx.actor),
      };
      const created = this.history.insertOf([
        {
          tenantId: ctx.tenantId,
          subjectId: unnumbered.id,
          from: null,
          to: unnumbered.status,
          actor: ctx.actor,
          source: sourceOf(ctx.actor),
          reason: 'Event created on demand',
          secondsInPrevious: null,
          isValidTransition: true,
          at: now,
        },
      ]);
      const [taskId] = await this.events.insertNumbered(tx, ctx.tenantId, [unnumbered], now, created);
      const row: NewContractEventRow = { ...unnumbered, tenantId: ctx.tenantId, taskId };
      await this.contracts.countAddedEvent(tx, ctx.tenantId, c.id);
      await this.outbox.append(tx, ctx, [
        { type: 'CONTRACT_EVENT_CREATED', aggregateId: row.id, aggregateVersion: 1, payload: { ...createdPayload(row), occurredAt: now.toISOString() } },
      ]);
      const saved = await this.events.findById(tx, ctx.tenantId, row.id);
      return eventView(saved!);
    });
  }
}
