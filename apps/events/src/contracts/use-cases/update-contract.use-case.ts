import { Injectable } from '@nestjs/common';
import { UpdateContractDto } from '@app/shared/api/events/contracts.dto';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractRepository, ContractRow } from '../contract.repository';
import { contractView } from '../contract.view';
import { planEvents } from '../promise-planner';
import { lockContract } from './contract-lookup';

/** Fields that change what activation materialises: editing them under review means review starts again. */
const PROMISE_FIELDS = ['services', 'spareParts', 'billing', 'startDate', 'endDate', 'timezone'] as const;
const DESCRIPTIVE_FIELDS = ['title', 'customer', 'accountManagerId'] as const;
const EDITABLE_BEFORE_ACTIVATION = ['draft', 'pending_review', 'changes_requested', 'rejected'];

/**
 * Edits a booking. Before activation anything may change; once active only descriptive fields may (the
 * events already exist). A promise change while pending review sets `needsReapproval`.
 */
@Injectable()
export class UpdateContractUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: UpdateContractDto): Promise<ContractView> {
    return this.db.run(async (tx) => {
      const c = await lockContract(tx, this.contracts, ctx.tenantId, input.id);
      if (c.version !== input.version) throw DomainError.versionConflict(input.version, c.version);
      const next: ContractRow = { ...c };
      const changed: string[] = [];
      for (const f of [...PROMISE_FIELDS, ...DESCRIPTIVE_FIELDS]) {
        const value = input[f];
        if (value === undefined || JSON.stringify(value) === JSON.stringify(c[f])) continue;
        Object.assign(next, { [f]: value });
        changed.push(f);
      }
      if (changed.length === 0) return contractView(c);
      const promiseChanged = changed.some((f) => (PROMISE_FIELDS as readonly string[]).includes(f));
      if (promiseChanged && !EDITABLE_BEFORE_ACTIVATION.includes(c.status)) {
        throw DomainError.rule(`the promises of a ${c.status} contract cannot change; only ${DESCRIPTIVE_FIELDS.join(', ')} can`, {
          changedFields: changed,
        });
      }
      if (['cancelled', 'completed', 'expired'].includes(c.status)) throw DomainError.rule(`a ${c.status} contract cannot be edited`);
      if (promiseChanged) planEvents(next);
      const needsReapproval = promiseChanged && c.status === 'pending_review';
      const now = this.clock.now();
      const saved = await this.contracts.save(tx, { ...next, needsReapproval: c.needsReapproval || needsReapproval }, now);
      await this.outbox.append(tx, ctx, [
        {
          type: 'BOOKING_UPDATED',
          aggregateId: c.id,
          aggregateVersion: saved.version,
          payload: {
            bookingId: c.id,
            ...(saved.customer.id ? { clientId: saved.customer.id } : {}),
            updatedBy: ctx.actor.id,
            updatedAt: now.toISOString(),
            changedFields: changed,
            needsReapproval,
            occurredAt: now.toISOString(),
          },
        },
      ]);
      return contractView(saved);
    });
  }
}
