import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { JtdConfigCache } from './jtd-config-cache';

export interface TenantConfig {
  tenantId: string;
  vaniEnabled: boolean;
  vaniAutoExecuteTypes: string[];
  channelsEnabled: Record<string, boolean>;
  dailyLimit: number | null;
  monthlyLimit: number | null;
  defaultPriority: number;
  timezone: string;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  appointmentReminderLeadMinutes: number;
  isLive: boolean;
  providerProfile: string | null;
  version: number;
}

export interface SourceConfig {
  tenantId: string;
  sourceTypeCode: string;
  channelsEnabled: string[] | null;
  isEnabled: boolean;
  autoExecute: boolean;
  priorityOverride: number | null;
  delaySeconds: number;
  version: number;
}

const CONFIG_COLUMNS = `tenant_id AS "tenantId", vani_enabled AS "vaniEnabled", vani_auto_execute_types AS "vaniAutoExecuteTypes",
  channels_enabled AS "channelsEnabled", daily_limit AS "dailyLimit", monthly_limit AS "monthlyLimit", default_priority AS "defaultPriority",
  timezone, to_char(quiet_hours_start, 'HH24:MI') AS "quietHoursStart", to_char(quiet_hours_end, 'HH24:MI') AS "quietHoursEnd",
  appointment_reminder_lead_minutes AS "appointmentReminderLeadMinutes", is_live AS "isLive", provider_profile AS "providerProfile", version`;

const SOURCE_COLUMNS = `tenant_id AS "tenantId", source_type_code AS "sourceTypeCode", channels_enabled AS "channelsEnabled",
  is_enabled AS "isEnabled", auto_execute AS "autoExecute", priority_override AS "priorityOverride", delay_seconds AS "delaySeconds", version`;

/** Tenant-level JTD settings. The webhook secret's hash lives in the same row but is only read by `webhookSecretHash`. */
@Injectable()
export class TenantConfigRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: JtdConfigCache,
  ) {}

  /** Seeds the defaults (only email and in-app on, VaNi off, no limits) once; later calls change nothing. */
  async seed(tx: EntityManager, tenantId: string, timezone = 'UTC'): Promise<void> {
    await tx.query(
      `INSERT INTO tenant_config (tenant_id, timezone) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING`,
      [tenantId, timezone],
    );
  }

  /**
   * Seeds from the tenant's registration. A read can get here first and seed plain defaults; the tenant's
   * own timezone still applies then, unless an admin has already saved settings (version > 1).
   */
  async seedFromRegistration(tx: EntityManager, tenantId: string, timezone: string): Promise<void> {
    await tx.query(
      `INSERT INTO tenant_config (tenant_id, timezone) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET timezone = EXCLUDED.timezone, updated_at = now() WHERE tenant_config.version = 1`,
      [tenantId, timezone],
    );
    await this.cache.changed(tx, tenantId);
  }

  /** `get` through the per-replica cache: for the hot paths (job creation, the dispatcher), never for settings reads. */
  cached(tenantId: string, tx: EntityManager = this.dataSource.manager): Promise<TenantConfig> {
    return this.cache.get(tenantId, 'config', () => this.get(tenantId, tx));
  }

  /** `source` through the per-replica cache. */
  cachedSource(tenantId: string, sourceType: string, tx: EntityManager = this.dataSource.manager): Promise<SourceConfig | null> {
    return this.cache.get(tenantId, `source:${sourceType}`, () => this.source(tenantId, sourceType, tx));
  }

  async get(tenantId: string, tx: EntityManager = this.dataSource.manager): Promise<TenantConfig> {
    const rows = await tx.query(`SELECT ${CONFIG_COLUMNS} FROM tenant_config WHERE tenant_id = $1`, [tenantId]);
    if (rows.length) return rows[0];
    // A tenant whose TENANT_CREATED has not arrived yet still gets the defaults, not an error.
    await this.seed(tx, tenantId);
    return (await tx.query(`SELECT ${CONFIG_COLUMNS} FROM tenant_config WHERE tenant_id = $1`, [tenantId]))[0];
  }

  async update(tx: EntityManager, tenantId: string, patch: Partial<TenantConfig>, expectedVersion?: number): Promise<TenantConfig | 'stale'> {
    const map: Record<string, string> = {
      vaniEnabled: 'vani_enabled', vaniAutoExecuteTypes: 'vani_auto_execute_types', channelsEnabled: 'channels_enabled',
      dailyLimit: 'daily_limit', monthlyLimit: 'monthly_limit', defaultPriority: 'default_priority', timezone: 'timezone',
      quietHoursStart: 'quiet_hours_start', quietHoursEnd: 'quiet_hours_end', appointmentReminderLeadMinutes: 'appointment_reminder_lead_minutes',
      isLive: 'is_live', providerProfile: 'provider_profile',
    };
    const params: unknown[] = [tenantId];
    const sets: string[] = [];
    for (const [k, col] of Object.entries(map)) {
      if ((patch as any)[k] === undefined) continue;
      const v = (patch as any)[k];
      params.push(k === 'channelsEnabled' ? JSON.stringify(v) : v);
      sets.push(`${col} = $${params.length}`);
    }
    let where = 'tenant_id = $1';
    if (expectedVersion !== undefined) {
      params.push(expectedVersion);
      where += ` AND version = $${params.length}`;
    }
    const res = await tx.query(`UPDATE tenant_config SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE ${where} RETURNING tenant_id`, params);
    if (res[0].length === 0) return 'stale';
    await this.cache.changed(tx, tenantId);
    return this.get(tenantId, tx);
  }

  /** The SHA-256 of the tenant's webhook secret; null while none was issued. */
  async webhookSecretHash(tenantId: string): Promise<Buffer | null> {
    const rows = await this.dataSource.query(`SELECT webhook_secret_hash FROM tenant_config WHERE tenant_id = $1`, [tenantId]);
    return rows[0]?.webhook_secret_hash ?? null;
  }

  /** Issues a new secret, keeps only its hash (the previous one stops working on commit), answers it once. */
  async rotateWebhookSecret(tenantId: string): Promise<string> {
    await this.get(tenantId);
    const secret = randomBytes(32).toString('hex');
    await this.dataSource.query(`UPDATE tenant_config SET webhook_secret_hash = $2, updated_at = now() WHERE tenant_id = $1`, [tenantId, webhookSecretHash(secret)]);
    return secret;
  }

  async source(tenantId: string, sourceType: string, tx: EntityManager = this.dataSource.manager): Promise<SourceConfig | null> {
    const rows = await tx.query(`SELECT ${SOURCE_COLUMNS} FROM tenant_source_config WHERE tenant_id = $1 AND source_type_code = $2`, [tenantId, sourceType]);
    return rows[0] ?? null;
  }

  async sources(tenantId: string): Promise<SourceConfig[]> {
    return this.dataSource.query(`SELECT ${SOURCE_COLUMNS} FROM tenant_source_config WHERE tenant_id = $1 ORDER BY source_type_code`, [tenantId]);
  }

  async upsertSource(tenantId: string, sourceType: string, s: Omit<SourceConfig, 'tenantId' | 'sourceTypeCode' | 'version'>): Promise<SourceConfig> {
    await this.dataSource.query(
      `INSERT INTO tenant_source_config (tenant_id, source_type_code, channels_enabled, is_enabled, auto_execute, priority_override, delay_seconds)
       VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (tenant_id, source_type_code) DO UPDATE SET channels_enabled = EXCLUDED.channels_enabled, is_enabled = EXCLUDED.is_enabled,
         auto_execute = EXCLUDED.auto_execute, priority_override = EXCLUDED.priority_override, delay_seconds = EXCLUDED.delay_seconds,
         version = tenant_source_config.version + 1, updated_at = now()`,
      [tenantId, sourceType, s.channelsEnabled, s.isEnabled, s.autoExecute, s.priorityOverride, s.delaySeconds],
    );
    await this.cache.changed(this.dataSource.manager, tenantId);
    return (await this.source(tenantId, sourceType))!;
  }
}

/** How a webhook secret is stored and compared: SHA-256 of its text (a 256-bit random value needs no slow hash). */
export function webhookSecretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
