import { Injectable } from '@nestjs/common';
import { ContractSettingsView, UpdateContractSettingsDto } from '@app/shared/api/events/contract-lifecycle.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { ContractRepository } from '../contract.repository';

/** The tenant's contract settings (the renewal notice). */
@Injectable()
export class GetContractSettingsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
  ) {}

  async execute(ctx: RequestContext): Promise<ContractSettingsView> {
    return { renewalNoticeDays: await this.contracts.renewalNoticeDays(this.db.reader, ctx.tenantId) };
  }
}

@Injectable()
export class UpdateContractSettingsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
  ) {}

  async execute(ctx: RequestContext, input: UpdateContractSettingsDto): Promise<ContractSettingsView> {
    return this.db.run(async (tx) => {
      await this.contracts.setRenewalNoticeDays(tx, ctx.tenantId, input.renewalNoticeDays);
      return { renewalNoticeDays: await this.contracts.renewalNoticeDays(tx, ctx.tenantId) };
    });
  }
}
