import { randomUUID } from 'node:crypto';
import { listEvents } from '@app/shared/api/events/contract-events.operations';
import { activateContract, createContract } from '@app/shared/api/events/contracts.operations';
import { createKitTemplate } from '@app/shared/api/events/kits.operations';
import type { RequestContext } from '@app/shared/context/request-context';
import { referenceContract } from './contract-factory';
import { EventsHarness, startEventsHarness } from './events-harness';
import { userContext } from './rpc-client';

/**
 * What the activity and kit specs share: the events service with one active contract whose service events
 * are handed out one per test, two technicians, the outbox rows of an aggregate, and a kit template.
 */
export class ActivityFixture {
  readonly techId = randomUUID();
  readonly otherTechId = randomUUID();
  private used = 0;

  private constructor(
    readonly h: EventsHarness,
    readonly contractId: string,
  ) {}

  static async start(): Promise<ActivityFixture> {
    const h = await startEventsHarness();
    const contractId = (await h.rpc.ok(createContract, referenceContract())).id;
    await h.rpc.ok(activateContract, { id: contractId });
    return new ActivityFixture(h, contractId);
  }

  /** A technician's context without a tenant (the harness's default tenant is filled in by the RPC client). */
  tech(id = this.techId): RequestContext {
    return userContext('', ['technician'], { id, name: 'Tariq Tech' });
  }

  asTech(id = this.techId): RequestContext {
    return { ...this.tech(id), tenantId: this.h.tenantId };
  }

  /** The next scheduled service event of the contract no test has used yet. */
  async nextServiceEvent() {
    const page = await this.h.rpc.ok(listEvents, { contractId: this.contractId, type: 'service', status: 'scheduled', limit: 200 });
    return page.items[this.used++];
  }

  async outbox(aggregateId: string, typePrefix: string) {
    return (await this.h.db.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 AND type LIKE $2 ORDER BY seq`, [aggregateId, `${typePrefix}%`]))
      .rows;
  }

  template(name = 'AC service kit') {
    return this.h.rpc.ok(createKitTemplate, {
      name,
      components: [
        { name: 'Pressure gauge', quantity: 1 },
        { name: 'Coolant can', quantity: 2 },
      ],
    });
  }
}
