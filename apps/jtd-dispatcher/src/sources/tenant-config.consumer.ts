import { Injectable } from '@nestjs/common';
import { TenantCreatedPayload } from '@app/shared/catalog/platform.catalog';
import type { Db } from '@app/shared/db/sql';
import { Envelope } from '@app/shared/messaging/envelope';
import { HandlesEvent } from '@app/shared/messaging/handles-event.decorator';
import { TenantConfigRepository } from '../settings/tenant-config.repository';

/** A new tenant gets the default JTD settings in its own timezone (idempotent). */
@Injectable()
export class TenantConfigConsumer {
  constructor(private readonly tenants: TenantConfigRepository) {}

  @HandlesEvent('TENANT_CREATED')
  async onTenantCreated(event: Envelope<TenantCreatedPayload>, tx: Db): Promise<void> {
    await this.tenants.seedFromRegistration(tx, event.tenantId, event.payload.timezone ?? 'UTC');
  }
}
