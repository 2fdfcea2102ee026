import { Module } from '@nestjs/common';
import { ActivationBatcher } from './activation-batcher';
import { ContractLifecycleRpcController } from './contract-lifecycle.rpc.controller';
import { ContractsRpcController } from './contracts.rpc.controller';
import { GetContractSettingsUseCase, UpdateContractSettingsUseCase } from './use-cases/contract-settings.use-case';
import { ListContractHistoryUseCase } from './use-cases/list-contract-history.use-case';
import { ListContractPaymentsUseCase } from './use-cases/list-contract-payments.use-case';
import { RenewContractUseCase } from './use-cases/renew-contract.use-case';
import { ActivateContractUseCase } from './use-cases/activate-contract.use-case';
import { ApproveContractUseCase } from './use-cases/approve-contract.use-case';
import { CancelContractUseCase } from './use-cases/cancel-contract.use-case';
import { CreateContractUseCase } from './use-cases/create-contract.use-case';
import { CreateOnDemandEventUseCase } from './use-cases/create-on-demand-event.use-case';
import { GetContractUseCase } from './use-cases/get-contract.use-case';
import { GetSparePartBalanceUseCase } from './use-cases/get-spare-part-balance.use-case';
import { ListContractsUseCase } from './use-cases/list-contracts.use-case';
import { RejectContractUseCase } from './use-cases/reject-contract.use-case';
import { RequestContractChangesUseCase } from './use-cases/request-contract-changes.use-case';
import { SubmitContractUseCase } from './use-cases/submit-contract.use-case';
import { UpdateContractUseCase } from './use-cases/update-contract.use-case';

/** Contracts and bookings: drafts, the review flow, activation, cancellation, spare-part balance. */
@Module({
  controllers: [ContractsRpcController, ContractLifecycleRpcController],
  providers: [
    ActivationBatcher,
    CreateContractUseCase,
    UpdateContractUseCase,
    GetContractUseCase,
    ListContractsUseCase,
    SubmitContractUseCase,
    ApproveContractUseCase,
    RejectContractUseCase,
    RequestContractChangesUseCase,
    CancelContractUseCase,
    ActivateContractUseCase,
    GetSparePartBalanceUseCase,
    CreateOnDemandEventUseCase,
    RenewContractUseCase,
    ListContractHistoryUseCase,
    ListContractPaymentsUseCase,
    GetContractSettingsUseCase,
    UpdateContractSettingsUseCase,
  ],
})
export class ContractsModule {}
