import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@app/shared/db/sql';
import { StatusFlowSource } from '@app/shared/status-machine/status-flow.store';
import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { TenantFlowCache } from '@app/shared/status-machine/tenant-flow-cache';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { EVENT_TYPE_CODES, jobMachineOf } from '../master-data/jtd-master-data';

/** Where the flows are read: the shared status tables (StatusFlowStore), or memory in unit tests (InMemoryStatusFlows). */
export const JOB_FLOW_SOURCE = Symbol('JOB_FLOW_SOURCE');

/**
 * The status flows of a tenant's jobs, one soft machine per event type (`jtd:<event type>`, the tenant's
 * rows or the system defaults): an undefined move is made and flagged, a status the flow lacks is refused.
 * Kept per tenant by the shared TenantFlowCache (every machine in one entry, loaded in two queries); they
 * change only by migration or seeding, so the TTL (JTD_FLOW_CACHE_TTL_MS) is the only invalidation.
 */
@Injectable()
export class JobFlows {
  private readonly cache: TenantFlowCache<ReadonlyMap<string, StatusMachine>>;

  constructor(@Inject(JOB_FLOW_SOURCE) source: StatusFlowSource, config: JtdDispatcherConfig) {
    this.cache = new TenantFlowCache({
      name: 'jtdFlows',
      ttlMs: config.JTD_FLOW_CACHE_TTL_MS,
      load: async (db, tenantId) => {
        const loaded = await source.loadMany(tenantId, EVENT_TYPE_CODES.map(jobMachineOf), db);
        const machines = new Map<string, StatusMachine>();
        for (const eventType of EVENT_TYPE_CODES) {
          const { flow } = loaded.get(jobMachineOf(eventType))!;
          if (flow.statuses.length > 0) machines.set(eventType, new StatusMachine(flow, 'soft'));
        }
        return machines;
      },
    });
  }

  /** The machine of a tenant's jobs of one event type; `db` is the caller's transaction when it has one. */
  async machine(db: Db, tenantId: string, eventType: string): Promise<StatusMachine> {
    const machine = (await this.cache.get(db, tenantId)).get(eventType);
    if (!machine) throw new Error(`no status flow is configured for ${jobMachineOf(eventType)}`);
    return machine;
  }

  /** Every event type's machine of a tenant (a batch of jobs reads the entry once). */
  machines(db: Db, tenantId: string): Promise<ReadonlyMap<string, StatusMachine>> {
    return this.cache.get(db, tenantId);
  }
}
