import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/shared/errors/domain-error';
import { UpdateJtdSettingsDto, UpdateJtdSourceSettingsDto } from '@app/shared/api/jtd/jtd.dto';
import { JtdConfigCache } from './jtd-config-cache';
import { TenantConfigRepository } from './tenant-config.repository';

/** Tenant settings and per-source overrides. The webhook secret is never part of a read. */
@Injectable()
export class JtdSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: TenantConfigRepository,
    private readonly cache: JtdConfigCache,
  ) {}

  get(tenantId: string) {
    return this.repo.get(tenantId);
  }

  async update(tenantId: string, dto: UpdateJtdSettingsDto) {
    if (dto.timezone && !DateTime.now().setZone(dto.timezone).isValid) throw DomainError.validation({ timezone: [`unknown timezone ${dto.timezone}`] });
    if (dto.channelsEnabled) {
      for (const [k, v] of Object.entries(dto.channelsEnabled)) {
        if (!['email', 'sms', 'whatsapp', 'push', 'inapp'].includes(k) || typeof v !== 'boolean') throw DomainError.validation({ [`channelsEnabled.${k}`]: ['must be a known channel with a boolean'] });
      }
    }
    const { version, ...patch } = dto;
    const current = await this.repo.get(tenantId);
    const merged = { ...patch, channelsEnabled: patch.channelsEnabled ? { ...current.channelsEnabled, ...patch.channelsEnabled } : undefined };
    const res = await this.dataSource.transaction((tx) => this.repo.update(tx, tenantId, merged, version));
    // Again after commit: a read between the invalidation inside the transaction and the commit cached the old row.
    this.cache.invalidate(tenantId);
    if (res === 'stale') throw DomainError.versionConflict(version!, (await this.repo.get(tenantId)).version);
    return res;
  }

  async rotateWebhookSecret(tenantId: string) {
    // Returned once, here only: it goes into the MSG91 dashboard's webhook URL.
    return { webhookSecret: await this.repo.rotateWebhookSecret(tenantId) };
  }

  async getSource(tenantId: string, sourceType: string) {
    await this.assertSource(sourceType);
    return (await this.repo.source(tenantId, sourceType)) ?? { tenantId, sourceTypeCode: sourceType, channelsEnabled: null, isEnabled: true, autoExecute: false, priorityOverride: null, delaySeconds: 0, version: 0 };
  }

  async updateSource(tenantId: string, dto: UpdateJtdSourceSettingsDto) {
    await this.assertSource(dto.sourceType);
    const cur = await this.getSource(tenantId, dto.sourceType);
    return this.repo.upsertSource(tenantId, dto.sourceType, {
      channelsEnabled: dto.channelsEnabled !== undefined ? dto.channelsEnabled : cur.channelsEnabled,
      isEnabled: dto.isEnabled ?? cur.isEnabled,
      autoExecute: dto.autoExecute ?? cur.autoExecute,
      priorityOverride: dto.priorityOverride !== undefined ? dto.priorityOverride : cur.priorityOverride,
      delaySeconds: dto.delaySeconds ?? cur.delaySeconds,
    });
  }

  private async assertSource(code: string) {
    const rows = await this.dataSource.query(`SELECT 1 FROM source_types WHERE code = $1`, [code]);
    if (rows.length === 0) throw DomainError.notFound('source type', code);
  }
}
