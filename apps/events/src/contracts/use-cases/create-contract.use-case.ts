import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CreateContractDto } from '@app/shared/api/events/contracts.dto';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractRepository, ContractRow } from '../contract.repository';
import { contractView } from '../contract.view';
import { planEvents } from '../promise-planner';

/** Drafts a contract (or booking) with its promises; the promises are planned once now so bad ones fail early. */
@Injectable()
export class CreateContractUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CreateContractDto): Promise<ContractView> {
    planEvents(input);
    const now = this.clock.now();
    const row: ContractRow = {
      id: randomUUID(),
      tenantId: ctx.tenantId,
      contractNumber: input.contractNumber,
      title: input.title,
      customer: input.customer,
      startDate: input.startDate,
      endDate: input.endDate,
      timezone: input.timezone,
      accountManagerId: input.accountManagerId ?? null,
      services: input.services ?? [],
      spareParts: input.spareParts ?? [],
      billing: input.billing ?? null,
      status: 'draft',
      review: {},
      needsReapproval: false,
      totalEvents: 0,
      activatedAt: null,
      closedAt: null,
      cancelReason: null,
      renewedFromId: null,
      renewedById: null,
      version: 1,
      createdBy: ctx.actor.type === 'user' ? ctx.actor.id : null,
      createdAt: now,
      updatedAt: now,
    };
    return this.db.run(async (tx) => {
      if (!(await this.contracts.insert(tx, row))) {
        throw new DomainError(ErrorCode.CONFLICT, `contract number ${input.contractNumber} is already used`, { field: 'contractNumber' });
      }
      const saved = (await this.contracts.findById(tx, ctx.tenantId, row.id))!;
      await this.outbox.append(tx, ctx, [
        {
          type: 'BOOKING_CREATED',
          aggregateId: row.id,
          aggregateVersion: 1,
          payload: {
            bookingId: row.id,
            ...(input.customer.id ? { clientId: input.customer.id } : {}),
            contractNumber: row.contractNumber,
            title: row.title,
            status: row.status,
            createdBy: ctx.actor.id,
            occurredAt: now.toISOString(),
          },
        },
      ]);
      return contractView(saved);
    });
  }
}
