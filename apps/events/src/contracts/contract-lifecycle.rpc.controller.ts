import { Controller } from '@nestjs/common';
import { ContractIdParams } from '@app/shared/api/events/common.dto';
import { ContractHistoryQuery, RenewContractDto, UpdateContractSettingsDto } from '@app/shared/api/events/contract-lifecycle.dto';
import {
  getContractSettings,
  listContractHistory,
  listContractPayments,
  renewContract,
  updateContractSettings,
} from '@app/shared/api/events/contract-lifecycle.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { GetContractSettingsUseCase, UpdateContractSettingsUseCase } from './use-cases/contract-settings.use-case';
import { ListContractHistoryUseCase } from './use-cases/list-contract-history.use-case';
import { ListContractPaymentsUseCase } from './use-cases/list-contract-payments.use-case';
import { RenewContractUseCase } from './use-cases/renew-contract.use-case';

/** Renewal, status history, payments and the tenant's contract settings. */
@Controller()
export class ContractLifecycleRpcController {
  constructor(
    private readonly renewContract: RenewContractUseCase,
    private readonly listHistory: ListContractHistoryUseCase,
    private readonly listPayments: ListContractPaymentsUseCase,
    private readonly getSettings: GetContractSettingsUseCase,
    private readonly updateSettings: UpdateContractSettingsUseCase,
  ) {}

  @Handles(renewContract)
  renew(input: RenewContractDto, ctx: RequestContext) {
    return this.renewContract.execute(ctx, input);
  }

  @Handles(listContractHistory)
  history(input: ContractHistoryQuery, ctx: RequestContext) {
    return this.listHistory.execute(ctx, input);
  }

  @Handles(listContractPayments)
  payments(input: ContractIdParams, ctx: RequestContext) {
    return this.listPayments.execute(ctx, input);
  }

  @Handles(getContractSettings)
  settings(_input: unknown, ctx: RequestContext) {
    return this.getSettings.execute(ctx);
  }

  @Handles(updateContractSettings)
  updateSettingsOf(input: UpdateContractSettingsDto, ctx: RequestContext) {
    return this.updateSettings.execute(ctx, input);
  }
}
