import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { ContractActivator } from '../contract-activator';
import { ContractRepository } from '../contract.repository';
import { contractView } from '../contract.view';
import { lockContract, requireStatus } from './contract-lookup';

/**
 * Direct activation of a draft that needs no review. The contract row lock makes repeated and concurrent
 * activations safe: the second caller waits, then finds the contract active and returns it unchanged.
 */
@Injectable()
export class ActivateContractUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contracts: ContractRepository,
    private readonly activator: ContractActivator,
  ) {}

  async execute(ctx: RequestContext, input: { id: string }) {
    return this.dataSource.transaction(async (tx) => {
      const c = await lockContract(tx, this.contracts, ctx.tenantId, input.id);
      if (c.status === 'active') return contractView(c);
      requireStatus(c, ['draft'], 'activated directly (a booking under review is activated by approving it)');
      return contractView(await this.activator.activate(tx, ctx, c));
    });
  }
}
