import { Injectable } from '@nestjs/common';
import type { Db } from '@app/shared/db/sql';
import { Envelope } from '@app/shared/messaging/envelope';
import { HandlesEvent } from '@app/shared/messaging/handles-event.decorator';
import { EventFlowService } from '../status-config/event-flow.service';

/** Seeds a new tenant's contract-event flows from the system defaults (idempotent: an existing flow is kept). */
@Injectable()
export class TenantDefaultsConsumer {
  constructor(private readonly flows: EventFlowService) {}

  @HandlesEvent('TENANT_CREATED')
  async onTenantCreated(event: Envelope, tx: Db): Promise<void> {
    await this.flows.seedTenant(tx, event.tenantId);
  }
}
