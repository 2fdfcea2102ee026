import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Db, exec, many, maybeOne, one, selectList, Sql, sql } from '@app/shared/db/sql';
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
  /** `HH:MM` in the tenant's timezone. */
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  appointmentReminderLeadMinutes: number;
  isLive: boolean;
  providerProfile: string | null;
  /** The channel a job continues on when its channel fails for good: `{ "whatsapp": "sms", "sms": "email" }` (no cycles). */
  channelFallback: Record<string, string>;
  version: number;
}

/** What an admin may change. */
export type TenantConfigPatch = Partial<Omit<TenantConfig, 'tenantId' | 'version'>>;

const FIELDS = [
  'tenantId',
  'vaniEnabled',
  'vaniAutoExecuteTypes',
  'channelsEnabled',
  'dailyLimit',
  'monthlyLimit',
  'defaultPriority',
  'timezone',
  'quietHoursStart',
  'quietHoursEnd',
  'appointmentReminderLeadMinutes',
  'isLive',
  'providerProfile',
  'channelFallback',
  'version',
] as const satisfies ReadonlyArray<keyof TenantConfig>;

const COLUMNS: Sql = selectList(null, FIELDS, {
  quietHoursStart: `to_char(quiet_hours_start, 'HH24:MI')`,
  quietHoursEnd: `to_char(quiet_hours_end, 'HH24:MI')`,
});

/** How each field of a patch is written: its column and the parameter's SQL type. */
const PATCH: { readonly [K in keyof TenantConfigPatch]-?: readonly [column: string, type: string] } = {
  vaniEnabled: ['vani_enabled', 'boolean'],
  vaniAutoExecuteTypes: ['vani_auto_execute_types', 'text[]'],
  channelsEnabled: ['channels_enabled', 'jsonb'],
  dailyLimit: ['daily_limit', 'int'],
  monthlyLimit: ['monthly_limit', 'int'],
  defaultPriority: ['default_priority', 'int'],
  timezone: ['timezone', 'text'],
  quietHoursStart: ['quiet_hours_start', 'time'],
  quietHoursEnd: ['quiet_hours_end', 'time'],
  appointmentReminderLeadMinutes: ['appointment_reminder_lead_minutes', 'int'],
  isLive: ['is_live', 'boolean'],
  providerProfile: ['provider_profile', 'text'],
  channelFallback: ['channel_fallback', 'jsonb'],
};

/** A tenant's JTD settings (`tenant_config`). The webhook secret's hash lives in the same row and is only read by `webhookSecretHash`. */
@Injectable()
export class TenantConfigRepository {
  constructor(private readonly cache: JtdConfigCache) {}

  /** `get` through the per-replica cache: for the hot paths (job creation, the dispatcher), never for settings reads. */
  cached(db: Db, tenantId: string): Promise<TenantConfig> {
    return this.cache.get(tenantId, 'config', () => this.get(db, tenantId), db);
  }

  /** The tenant's settings; a tenant whose TENANT_CREATED has not arrived yet gets the defaults (seeded now), not an error. */
  async get(db: Db, tenantId: string): Promise<TenantConfig> {
    const row = await this.find(db, tenantId);
    if (row) return row;
    await this.seed(db, tenantId);
    return (await this.find(db, tenantId))!;
  }

  /** Seeds the defaults (only email and in-app on, VaNi off, no limits) once; later calls change nothing. */
  async seed(db: Db, tenantId: string, timezone = 'UTC'): Promise<void> {
    await exec(db, sql`INSERT INTO tenant_config (tenant_id, timezone) VALUES (${tenantId}, ${timezone}) ON CONFLICT (tenant_id) DO NOTHING`);
  }

  /**
   * Seeds from the tenant's registration. A read can get here first and seed plain defaults; the tenant's
   * own timezone still applies then, unless an admin has already saved settings (version > 1).
   */
  async seedFromRegistration(tx: Db, tenantId: string, timezone: string): Promise<void> {
    await exec(
      tx,
      sql`INSERT INTO tenant_config (tenant_id, timezone) VALUES (${tenantId}, ${timezone})
          ON CONFLICT (tenant_id) DO UPDATE SET timezone = EXCLUDED.timezone, updated_at = now() WHERE tenant_config.version = 1`,
    );
    this.cache.changed(tx, tenantId);
  }

  /** Applies `patch` (at `expectedVersion` when given); 'stale' when the row has another version. */
  async update(tx: Db, tenantId: string, patch: TenantConfigPatch, expectedVersion?: number): Promise<TenantConfig | 'stale'> {
    const sets = (Object.keys(PATCH) as Array<keyof TenantConfigPatch>)
      .filter((k) => patch[k] !== undefined)
      .map((k) => {
        const [column, type] = PATCH[k];
        const value = type === 'jsonb' ? sql.json(patch[k]) : sql`${patch[k]}::${sql.raw(type)}`;
        return sql`${sql.raw(column)} = ${value}`;
      });
    const versionCheck = expectedVersion !== undefined ? sql` AND version = ${expectedVersion}` : sql.empty;
    const updated = await many(
      tx,
      sql`UPDATE tenant_config SET ${sql.join([...sets, sql`version = version + 1`, sql`updated_at = now()`])}
          WHERE tenant_id = ${tenantId}${versionCheck} RETURNING tenant_id`,
    );
    if (updated.length === 0) return 'stale';
    this.cache.changed(tx, tenantId);
    return this.get(tx, tenantId);
  }

  /** The SHA-256 of the tenant's webhook secret; null while none was issued. */
  async webhookSecretHash(db: Db, tenantId: string): Promise<Buffer | null> {
    const row = await maybeOne<{ hash: Buffer | null }>(db, sql`SELECT webhook_secret_hash AS hash FROM tenant_config WHERE tenant_id = ${tenantId}`);
    return row?.hash ?? null;
  }

  /** Keeps only the hash of a newly issued secret: the previous one stops working when `tx` commits. */
  async setWebhookSecretHash(tx: Db, tenantId: string, hash: Buffer): Promise<void> {
    await one(tx, sql`UPDATE tenant_config SET webhook_secret_hash = ${hash}, updated_at = now() WHERE tenant_id = ${tenantId} RETURNING tenant_id`);
  }

  private find(db: Db, tenantId: string): Promise<TenantConfig | null> {
    return maybeOne(db, sql`SELECT ${COLUMNS} FROM tenant_config WHERE tenant_id = ${tenantId}`);
  }
}

/** How a webhook secret is stored and compared: SHA-256 of its text (a 256-bit random value needs no slow hash). */
export function webhookSecretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
