import { Controller } from '@nestjs/common';
import {
  ApproveContractDto,
  CancelContractDto,
  ContractIdDto,
  CreateContractDto,
  CreateOnDemandEventDto,
  ListContractsQuery,
  RejectContractDto,
  RequestChangesDto,
  UpdateContractDto,
} from '@app/shared/api/events/contracts.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
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

  @RpcHandler('events.contracts.create', CreateContractDto)
  create(body: CreateContractDto, ctx: RequestContext) {
    return this.createContract.execute(ctx, body);
  }

  @RpcHandler('events.contracts.update', UpdateContractDto)
  update(body: UpdateContractDto, ctx: RequestContext) {
    return this.updateContract.execute(ctx, body);
  }

  @RpcHandler('events.contracts.get', ContractIdDto)
  get(body: ContractIdDto, ctx: RequestContext) {
    return this.getContract.execute(ctx, body);
  }

  @RpcHandler('events.contracts.list', ListContractsQuery)
  list(body: ListContractsQuery, ctx: RequestContext) {
    return this.listContracts.execute(ctx, body);
  }

  @RpcHandler('events.contracts.submit', ContractIdDto)
  submit(body: ContractIdDto, ctx: RequestContext) {
    return this.submitContract.execute(ctx, body);
  }

  @RpcHandler('events.contracts.approve', ApproveContractDto)
  approve(body: ApproveContractDto, ctx: RequestContext) {
    return this.approveContract.execute(ctx, body);
  }

  @RpcHandler('events.contracts.reject', RejectContractDto)
  reject(body: RejectContractDto, ctx: RequestContext) {
    return this.rejectContract.execute(ctx, body);
  }

  @RpcHandler('events.contracts.request-changes', RequestChangesDto)
  requestChangesOf(body: RequestChangesDto, ctx: RequestContext) {
    return this.requestChanges.execute(ctx, body);
  }

  @RpcHandler('events.contracts.cancel', CancelContractDto)
  cancel(body: CancelContractDto, ctx: RequestContext) {
    return this.cancelContract.execute(ctx, body);
  }

  @RpcHandler('events.contracts.activate', ContractIdDto)
  activate(body: ContractIdDto, ctx: RequestContext) {
    return this.activateContract.execute(ctx, body);
  }

  @RpcHandler('events.contracts.spare-parts', ContractIdDto)
  spareParts(body: ContractIdDto, ctx: RequestContext) {
    return this.sparePartBalance.execute(ctx, body);
  }

  @RpcHandler('events.contracts.create-event', CreateOnDemandEventDto)
  createEvent(body: CreateOnDemandEventDto, ctx: RequestContext) {
    return this.onDemandEvent.execute(ctx, body);
  }
}
