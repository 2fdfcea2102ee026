import { Controller } from '@nestjs/common';
import { ContractIdParams } from '@app/shared/api/events/common.dto';
import {
  ApproveContractDto,
  CancelContractDto,
  CreateContractDto,
  CreateOnDemandEventDto,
  ListContractsQuery,
  RejectContractDto,
  RequestContractChangesDto,
  UpdateContractDto,
} from '@app/shared/api/events/contracts.dto';
import {
  activateContract,
  approveContract,
  cancelContract,
  createContract,
  createOnDemandEvent,
  getContract,
  getContractSpareParts,
  listContracts,
  rejectContract,
  requestContractChanges,
  resubmitContract,
  submitContract,
  updateContract,
} from '@app/shared/api/events/contracts.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
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

@Controller()
export class ContractsRpcController {
  constructor(
    private readonly createContract: CreateContractUseCase,
    private readonly updateContract: UpdateContractUseCase,
    private readonly getContract: GetContractUseCase,
    private readonly listContracts: ListContractsUseCase,
    private readonly submitContract: SubmitContractUseCase,
    private readonly approveContract: ApproveContractUseCase,
    private readonly rejectContract: RejectContractUseCase,
    private readonly requestChanges: RequestContractChangesUseCase,
    private readonly cancelContract: CancelContractUseCase,
    private readonly activateContract: ActivateContractUseCase,
    private readonly sparePartBalance: GetSparePartBalanceUseCase,
    private readonly onDemandEvent: CreateOnDemandEventUseCase,
  ) {}

  @Handles(createContract)
  create(input: CreateContractDto, ctx: RequestContext) {
    return this.createContract.execute(ctx, input);
  }

  @Handles(updateContract)
  update(input: UpdateContractDto, ctx: RequestContext) {
    return this.updateContract.execute(ctx, input);
  }

  @Handles(getContract)
  get(input: ContractIdParams, ctx: RequestContext) {
    return this.getContract.execute(ctx, input);
  }

  @Handles(listContracts)
  list(input: ListContractsQuery, ctx: RequestContext) {
    return this.listContracts.execute(ctx, input);
  }

  @Handles(submitContract)
  submit(input: ContractIdParams, ctx: RequestContext) {
    return this.submitContract.execute(ctx, input);
  }

  @Handles(resubmitContract)
  resubmit(input: ContractIdParams, ctx: RequestContext) {
    return this.submitContract.execute(ctx, input);
  }

  @Handles(approveContract)
  approve(input: ApproveContractDto, ctx: RequestContext) {
    return this.approveContract.execute(ctx, input);
  }

  @Handles(rejectContract)
  reject(input: RejectContractDto, ctx: RequestContext) {
    return this.rejectContract.execute(ctx, input);
  }

  @Handles(requestContractChanges)
  requestChangesOf(input: RequestContractChangesDto, ctx: RequestContext) {
    return this.requestChanges.execute(ctx, input);
  }

  @Handles(cancelContract)
  cancel(input: CancelContractDto, ctx: RequestContext) {
    return this.cancelContract.execute(ctx, input);
  }

  @Handles(activateContract)
  activate(input: ContractIdParams, ctx: RequestContext) {
    return this.activateContract.execute(ctx, input);
  }

  @Handles(getContractSpareParts)
  spareParts(input: ContractIdParams, ctx: RequestContext) {
    return this.sparePartBalance.execute(ctx, input);
  }

  @Handles(createOnDemandEvent)
  createEvent(input: CreateOnDemandEventDto, ctx: RequestContext) {
    return this.onDemandEvent.execute(ctx, input);
  }
}
