import { Injectable } from '@nestjs/common';
import { JtdSettingsView } from '@app/shared/api/jtd/jtd-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { settingsView } from '../settings.view';
import { TenantConfigRepository } from '../tenant-config.repository';

/** The tenant's JTD settings, as stored now (never from a cache); the webhook secret is never part of them. */
@Injectable()
export class GetSettingsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tenants: TenantConfigRepository,
  ) {}

  async execute(ctx: RequestContext): Promise<JtdSettingsView> {
    return settingsView(await this.tenants.get(this.db.reader, ctx.tenantId));
  }
}
