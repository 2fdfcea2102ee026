import { Injectable } from '@nestjs/common';
import type { ContractIdParams } from '@app/shared/api/events/common.dto';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { RequestContext } from '@app/shared/context/request-context';
import { ActivationBatcher } from '../activation-batcher';
import { contractView } from '../contract.view';

/**
 * Direct activation of a draft that needs no review. The contract row lock makes repeated and concurrent
 * activations safe: the second caller waits, then finds the contract active and returns it unchanged.
 * Concurrent activations of one tenant share a transaction (ActivationBatcher).
 */
@Injectable()
export class ActivateContractUseCase {
  constructor(private readonly batcher: ActivationBatcher) {}

  async execute(ctx: RequestContext, input: ContractIdParams): Promise<ContractView> {
    return contractView(await this.batcher.activate(ctx, input.id));
  }
}
