import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RenewContractDto } from '@app/shared/api/events/contract-lifecycle.dto';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractRepository, ContractRow } from '../contract.repository';
import { contractView } from '../contract.view';
import { planEvents } from '../promise-planner';
import { renewalPeriod, shiftBilling, shiftServices } from '../renewal-plan';
import { lockContract, requireStatus } from './contract-lookup';

/**
 * Drafts the renewal of an active, completed or expired contract: a new draft with the same customer,
 * promises and billing over the next period (dated promises shifted), linked both ways. Once per contract:
 * asking again answers the renewal already drafted. The promises are planned now, so a renewal whose
 * promises no longer fit its period is refused with the field named.
 */
@Injectable()
export class RenewContractUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: RenewContractDto): Promise<ContractView> {
    return this.db.run(async (tx) => {
      const old = await lockContract(tx, this.contracts, ctx.tenantId, input.id);
      if (old.renewedById) return contractView((await this.contracts.findById(tx, ctx.tenantId, old.renewedById))!);
      requireStatus(old, ['active', 'completed', 'expired'], 'renewed');
      const period = renewalPeriod(old, input);
      const now = this.clock.now();
      const row: ContractRow = {
        ...old,
        id: randomUUID(),
        contractNumber: input.contractNumber ?? `${old.contractNumber}-R`,
        startDate: period.startDate,
        endDate: period.endDate,
        services: shiftServices(old.services, period.shiftDays),
        billing: shiftBilling(old.billing, period.shiftDays),
        status: 'draft',
        review: {},
        needsReapproval: false,
        totalEvents: 0,
        activatedAt: null,
        closedAt: null,
        cancelReason: null,
        renewedFromId: old.id,
        renewedById: null,
        version: 1,
        createdBy: ctx.actor.type === 'user' ? ctx.actor.id : null,
        createdAt: now,
        updatedAt: now,
      };
      planEvents(row);
      if (!(await this.contracts.insert(tx, row))) {
        throw new DomainError(ErrorCode.CONFLICT, `contract number ${row.contractNumber} is already used`, { field: 'contractNumber' });
      }
      const oldVersion = await this.contracts.linkRenewal(tx, ctx.tenantId, old.id, row.id, now);
      await this.outbox.append(tx, ctx, [
        {
          type: 'BOOKING_CREATED',
          aggregateId: row.id,
          aggregateVersion: 1,
          payload: {
            bookingId: row.id,
            ...(row.customer.id ? { clientId: row.customer.id } : {}),
            contractNumber: row.contractNumber,
            title: row.title,
            status: row.status,
            createdBy: ctx.actor.id,
            occurredAt: now.toISOString(),
          },
        },
        {
          type: 'CONTRACT_RENEWED',
          aggregateId: old.id,
          aggregateVersion: oldVersion,
          payload: {
            contractId: row.id,
            contractNumber: row.contractNumber,
            renewedFromId: old.id,
            renewedFromNumber: old.contractNumber,
            startDate: row.startDate,
            endDate: row.endDate,
            renewedBy: ctx.actor.id,
            occurredAt: now.toISOString(),
          },
        },
      ]);
      return contractView((await this.contracts.findById(tx, ctx.tenantId, row.id))!);
    });
  }
}
