import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError } from '@app/shared/errors/domain-error';
import { ContractEventReadModel, ContractReadModel, TenantEntity } from './read-model.entities';

/** How long a request waits for the read model to catch up with a contract it names (see `caughtUp`). */
export const READ_MODEL_CATCH_UP_MS = 1500;

/** Lookups in the local copies of contracts and contract events; always scoped to the tenant. */
@Injectable()
export class ReadModelRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Waits, briefly, until the local copies know the active contract and the events a request names. They
   * follow the events service's domain events, a few milliseconds behind: a client that activates a
   * contract and opens a ticket for it at once should not be refused for that lag. Unknown ids still end
   * as NOT_FOUND (after the wait), decided by the caller's own lookups in its transaction.
   */
  async caughtUp(tenantId: string, contractId: string | null, eventIds: readonly string[], timeoutMs = READ_MODEL_CATCH_UP_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [{ contract, events }] = await this.dataSource.query(
        `SELECT (SELECT count(*)::int FROM contract_read_models WHERE tenant_id = $1 AND id = $2 AND status = 'active') AS contract,
                (SELECT count(*)::int FROM contract_event_read_models WHERE tenant_id = $1 AND id = ANY($3::uuid[])) AS events`,
        [tenantId, contractId, eventIds],
      );
      if (((contractId === null || contract === 1) && events === eventIds.length) || Date.now() >= deadline) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

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
