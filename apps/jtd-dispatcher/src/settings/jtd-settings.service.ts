import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  JtdSettingsView, JtdSourceSettingsView, UpdateJtdSettingsDto, UpdateJtdSourceSettingsDto, WebhookSecretView,
} from '@app/shared/api/jtd/jtd-settings.dto';
import { receiveMsg91Report } from '@app/shared/api/jtd/jtd.operations';
import { API_PREFIX } from '@app/shared/contract/openapi-document';
import { DomainError } from '@app/shared/errors/domain-error';
import { ProviderRegistry } from '../providers/provider-registry';
import { JtdConfigCache } from './jtd-config-cache';
import { SourceConfig, TenantConfig, TenantConfigRepository } from './tenant-config.repository';

/** Tenant settings and per-source overrides. The webhook secret is never part of a read. */
@Injectable()
export class JtdSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: TenantConfigRepository,
    private readonly cache: JtdConfigCache,
    private readonly providers: ProviderRegistry,
  ) {}

  async get(tenantId: string): Promise<JtdSettingsView> {
    return settingsView(await this.repo.get(tenantId));
  }

  async update(tenantId: string, dto: UpdateJtdSettingsDto): Promise<JtdSettingsView> {
    const { version, channelsEnabled, ...patch } = dto;
    // A profile is another account's credentials: only those the deployment bound to this tenant.
    const profileProblem = patch.providerProfile ? this.providers.profileProblem(tenantId, patch.providerProfile) : undefined;
    if (profileProblem) throw DomainError.rule(profileProblem, { reason: 'PROVIDER_PROFILE_NOT_ALLOWED', providerProfile: patch.providerProfile });
    const current = await this.repo.get(tenantId);
    const merged = { ...patch, channelsEnabled: channelsEnabled ? { ...current.channelsEnabled, ...channelsEnabled } : undefined };
    const res = await this.dataSource.transaction((tx) => this.repo.update(tx, tenantId, merged, version));
    // Again after commit: a read between the invalidation inside the transaction and the commit cached the old row.
    this.cache.invalidate(tenantId);
    if (res === 'stale') throw DomainError.versionConflict(version!, (await this.repo.get(tenantId)).version);
    return settingsView(res);
  }

  /**
   * The secret is answered here, once: only its hash is stored, and the previous one stops working with
   * this commit (no grace period: a rotation usually answers a leak, and reports MSG91 posts meanwhile
   * are refused with 401 and leave their jobs at `sent`, nothing worse).
   */
  async rotateWebhookSecret(tenantId: string): Promise<WebhookSecretView> {
    const secret = await this.repo.rotateWebhookSecret(tenantId);
    const query = new URLSearchParams({ tenant: tenantId, token: secret }).toString();
    const pathOf = (channel: string) => `${API_PREFIX}${receiveMsg91Report.http!.path.replace('{channel}', channel)}?${query}`;
    return { webhookSecret: secret, webhookPaths: { email: pathOf('email'), sms: pathOf('sms'), whatsapp: pathOf('whatsapp') } };
  }

  async getSource(tenantId: string, sourceType: string): Promise<JtdSourceSettingsView> {
    return sourceView(await this.source(tenantId, sourceType));
  }

  async updateSource(tenantId: string, dto: UpdateJtdSourceSettingsDto): Promise<JtdSourceSettingsView> {
    const cur = await this.source(tenantId, dto.sourceType);
    return sourceView(
      await this.repo.upsertSource(tenantId, dto.sourceType, {
        channelsEnabled: dto.channelsEnabled !== undefined ? dto.channelsEnabled : cur.channelsEnabled,
        isEnabled: dto.isEnabled ?? cur.isEnabled,
        autoExecute: dto.autoExecute ?? cur.autoExecute,
        priorityOverride: dto.priorityOverride !== undefined ? dto.priorityOverride : cur.priorityOverride,
        delaySeconds: dto.delaySeconds ?? cur.delaySeconds,
      }),
    );
  }

  /** The tenant's override, or the defaults (version 0) while it has none. */
  private async source(tenantId: string, sourceType: string): Promise<SourceConfig> {
    const rows = await this.dataSource.query(`SELECT 1 FROM source_types WHERE code = $1`, [sourceType]);
    if (rows.length === 0) throw DomainError.notFound('source type', sourceType);
    return (
      (await this.repo.source(tenantId, sourceType)) ?? {
        tenantId, sourceTypeCode: sourceType, channelsEnabled: null, isEnabled: true, autoExecute: false, priorityOverride: null, delaySeconds: 0, version: 0,
      }
    );
  }
}

function settingsView(c: TenantConfig): JtdSettingsView {
  const on = (channel: string) => c.channelsEnabled[channel] === true;
  return {
    vaniEnabled: c.vaniEnabled,
    vaniAutoExecuteTypes: c.vaniAutoExecuteTypes,
    channelsEnabled: { email: on('email'), sms: on('sms'), whatsapp: on('whatsapp'), push: on('push'), inapp: on('inapp') },
    dailyLimit: c.dailyLimit,
    monthlyLimit: c.monthlyLimit,
    defaultPriority: c.defaultPriority,
    timezone: c.timezone,
    quietHoursStart: c.quietHoursStart,
    quietHoursEnd: c.quietHoursEnd,
    appointmentReminderLeadMinutes: c.appointmentReminderLeadMinutes,
    isLive: c.isLive,
    providerProfile: c.providerProfile,
    version: c.version,
  };
}

function sourceView(s: SourceConfig): JtdSourceSettingsView {
  return {
    sourceType: s.sourceTypeCode,
    channelsEnabled: s.channelsEnabled,
    isEnabled: s.isEnabled,
    autoExecute: s.autoExecute,
    priorityOverride: s.priorityOverride,
    delaySeconds: s.delaySeconds,
    version: s.version,
  };
}
