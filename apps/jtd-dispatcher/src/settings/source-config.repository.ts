import { Injectable } from '@nestjs/common';
import { Db, exec, maybeOne, selectList, Sql, sql } from '@app/shared/db/sql';
import { JtdConfigCache } from './jtd-config-cache';

/** A tenant's override of one source type (`tenant_source_config`). */
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

export type SourceConfigValues = Omit<SourceConfig, 'tenantId' | 'sourceTypeCode' | 'version'>;

const FIELDS = [
  'tenantId',
  'sourceTypeCode',
  'channelsEnabled',
  'isEnabled',
  'autoExecute',
  'priorityOverride',
  'delaySeconds',
  'version',
] as const satisfies ReadonlyArray<keyof SourceConfig>;
const COLUMNS: Sql = selectList(null, FIELDS);

@Injectable()
export class SourceConfigRepository {
  constructor(private readonly cache: JtdConfigCache) {}

  /** `find` through the per-replica cache (job creation). */
  cached(db: Db, tenantId: string, sourceType: string): Promise<SourceConfig | null> {
    return this.cache.get(tenantId, `source:${sourceType}`, () => this.find(db, tenantId, sourceType), db);
  }

  find(db: Db, tenantId: string, sourceType: string): Promise<SourceConfig | null> {
    return maybeOne(db, sql`SELECT ${COLUMNS} FROM tenant_source_config WHERE tenant_id = ${tenantId} AND source_type_code = ${sourceType}`);
  }

  async upsert(tx: Db, tenantId: string, sourceType: string, s: SourceConfigValues): Promise<SourceConfig> {
    await exec(
      tx,
      sql`INSERT INTO tenant_source_config (tenant_id, source_type_code, channels_enabled, is_enabled, auto_execute, priority_override, delay_seconds)
          VALUES (${tenantId}, ${sourceType}, ${s.channelsEnabled}::text[], ${s.isEnabled}, ${s.autoExecute}, ${s.priorityOverride}::int, ${s.delaySeconds})
          ON CONFLICT (tenant_id, source_type_code) DO UPDATE SET channels_enabled = EXCLUDED.channels_enabled, is_enabled = EXCLUDED.is_enabled,
            auto_execute = EXCLUDED.auto_execute, priority_override = EXCLUDED.priority_override, delay_seconds = EXCLUDED.delay_seconds,
            version = tenant_source_config.version + 1, updated_at = now()`,
    );
    this.cache.changed(tx, tenantId);
    return (await this.find(tx, tenantId, sourceType))!;
  }
}
