import { Injectable } from '@nestjs/common';
import type { ContractIdParams } from '@app/shared/api/events/common.dto';
import { ContractPaymentsView } from '@app/shared/api/events/contract-lifecycle.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { ContractRepository } from '../contract.repository';
import { fromCents, toCents } from '../money';
import { PaymentRepository } from '../payment.repository';

/** The payments of a contract, oldest first, with what was billed, paid and is outstanding. */
@Injectable()
export class ListContractPaymentsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly payments: PaymentRepository,
  ) {}

  async execute(ctx: RequestContext, input: ContractIdParams): Promise<ContractPaymentsView> {
    const db = this.db.reader;
    if (!(await this.contracts.findById(db, ctx.tenantId, input.id))) throw DomainError.notFound('contract', input.id);
    const [totals, rows] = [await this.payments.contractTotals(db, ctx.tenantId, input.id), await this.payments.ofContract(db, ctx.tenantId, input.id)];
    return {
      contractId: input.id,
      totalBilled: totals.billed,
      totalPaid: totals.paid,
      balance: fromCents(toCents(totals.billed) - toCents(totals.paid)),
      items: rows.map((p) => ({
        id: p.id,
        eventId: p.eventId,
        amount: p.amount,
        currency: p.currency,
        method: p.method,
        reference: p.reference,
        paidAt: new Date(p.paidAt).toISOString(),
        recordedBy: { type: p.actorType, id: p.actorId ?? '', name: p.actorName ?? '' },
        source: p.source,
        recordedAt: new Date(p.recordedAt).toISOString(),
      })),
    };
  }
}
