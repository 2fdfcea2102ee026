import { Injectable } from '@nestjs/common';
import { JtdSettingsView, UpdateJtdSettingsDto } from '@app/shared/api/jtd/jtd-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { ProviderRegistry } from '../../providers/provider-registry';
import { settingsView } from '../settings.view';
import { TenantConfigRepository } from '../tenant-config.repository';

/**
 * Changes the fields sent (channel switches merge with the current ones), optimistic on `version` when
 * given. A provider profile is another account's credentials: only one the deployment bound to this tenant.
 */
@Injectable()
export class UpdateSettingsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tenants: TenantConfigRepository,
    private readonly providers: ProviderRegistry,
  ) {}

  async execute(ctx: RequestContext, dto: UpdateJtdSettingsDto): Promise<JtdSettingsView> {
    const { version, channelsEnabled, ...patch } = dto;
    const profileProblem = patch.providerProfile ? this.providers.profileProblem(ctx.tenantId, patch.providerProfile) : undefined;
    if (profileProblem) throw DomainError.rule(profileProblem, { reason: 'PROVIDER_PROFILE_NOT_ALLOWED', providerProfile: patch.providerProfile });
    const current = await this.tenants.get(this.db.reader, ctx.tenantId);
    let channels: Record<string, boolean> | undefined;
    if (channelsEnabled) {
      channels = { ...current.channelsEnabled };
      for (const [channel, on] of Object.entries(channelsEnabled)) if (typeof on === 'boolean') channels[channel] = on;
    }
    const updated = await this.db.run((tx) => this.tenants.update(tx, ctx.tenantId, { ...patch, channelsEnabled: channels }, version));
    if (updated === 'stale') throw DomainError.versionConflict(version!, (await this.tenants.get(this.db.reader, ctx.tenantId)).version);
    return settingsView(updated);
  }
}
