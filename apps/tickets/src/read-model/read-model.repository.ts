import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { DomainError } from '@app/shared/errors/domain-error';
import { ContractEventReadModel, ContractReadModel, TenantEntity } from './read-model.entities';

/** Lookups in the local copies of contracts and contract events; always scoped to the tenant. */
@Injectable()
export class ReadModelRepository {
  async contractOrFail(tx: EntityManager, tenantId: string, contractId: string): Promise<ContractReadModel> {
    const contract = await tx.findOne(ContractReadModel, { where: { tenantId, id: contractId } });
    if (!contract) throw DomainError.notFound('contract', contractId);
    return contract;
  }

  async findContract(tx: EntityManager, tenantId: string, contractId: string): Promise<ContractReadModel | null> {
    return tx.findOne(ContractReadModel, { where: { tenantId, id: contractId } });
  }

  /**
   * An event named in a request body: NOT_FOUND when the tenant has no such event (another tenant's
   * included, so that its existence shows nowhere); callers then refuse an event of the tenant that is not
   * where the request says with 422.
   */
  async eventOrFail(tx: EntityManager, tenantId: string, eventId: string): Promise<ContractEventReadModel> {
    const [event] = await this.events(tx, tenantId, [eventId]);
    if (!event) throw DomainError.notFound('event', eventId);
    return event;
  }

  async events(tx: EntityManager, tenantId: string, ids: string[]): Promise<ContractEventReadModel[]> {
    if (ids.length === 0) return [];
    return tx.find(ContractEventReadModel, { where: { tenantId, id: In(ids) } });
  }

  /** The tenant's timezone (from TENANT_CREATED), or null when this service has not heard of the tenant yet. */
  async tenantTimezone(tx: EntityManager, tenantId: string): Promise<string | null> {
    const tenant = await tx.findOne(TenantEntity, { where: { id: tenantId } });
    return tenant?.timezone ?? null;
  }
}
