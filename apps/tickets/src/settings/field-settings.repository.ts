import { Injectable } from '@nestjs/common';
import { DEFAULT_CHECK_IN_RADIUS_METERS } from '@app/shared/api/tickets/tickets.vocabulary';
import { Db, exec, many, maybeOne, sql } from '@app/shared/db/sql';
import { DEFAULT_EVIDENCE_TYPES, EvidenceTypeDef } from './evidence-types';

export interface FieldSettings {
  evidenceTypes: readonly EvidenceTypeDef[];
  evidenceTypesOverridden: boolean;
  checkInRadiusMeters: number;
  checkInRadiusOverridden: boolean;
}

/** A tenant's field settings (`field_settings`): its evidence types and check-in radius; the defaults where it set none. */
@Injectable()
export class FieldSettingsRepository {
  async load(db: Db, tenantId: string): Promise<FieldSettings> {
    const row = await maybeOne<{ evidenceTypes: EvidenceTypeDef[] | null; radius: number | null }>(
      db,
      sql`SELECT evidence_types AS "evidenceTypes", check_in_radius_m AS radius FROM field_settings WHERE tenant_id = ${tenantId}`,
    );
    return {
      evidenceTypes: row?.evidenceTypes ?? DEFAULT_EVIDENCE_TYPES,
      evidenceTypesOverridden: !!row?.evidenceTypes,
      checkInRadiusMeters: row?.radius ?? DEFAULT_CHECK_IN_RADIUS_METERS,
      checkInRadiusOverridden: row?.radius !== null && row?.radius !== undefined,
    };
  }

  /** Serialises changes of the tenant's settings with evidence recorded meanwhile (the row, created if need be). */
  async lock(db: Db, tenantId: string, at: Date): Promise<void> {
    await exec(db, sql`INSERT INTO field_settings (tenant_id, updated_at) VALUES (${tenantId}, ${at}) ON CONFLICT (tenant_id) DO NOTHING`);
    await exec(db, sql`SELECT 1 FROM field_settings WHERE tenant_id = ${tenantId} FOR UPDATE`);
  }

  /** `null`: back to the defaults. */
  async setEvidenceTypes(db: Db, tenantId: string, types: readonly EvidenceTypeDef[] | null, at: Date): Promise<void> {
    await exec(db, sql`UPDATE field_settings SET evidence_types = ${sql.json(types)}, updated_at = ${at} WHERE tenant_id = ${tenantId}`);
  }

  async setCheckInRadius(db: Db, tenantId: string, meters: number, at: Date): Promise<void> {
    await exec(db, sql`UPDATE field_settings SET check_in_radius_m = ${meters}, updated_at = ${at} WHERE tenant_id = ${tenantId}`);
  }

  /** The evidence types recorded evidence of the tenant uses. */
  async evidenceTypesInUse(db: Db, tenantId: string): Promise<string[]> {
    return (await many<{ type: string }>(db, sql`SELECT DISTINCT type FROM evidence WHERE tenant_id = ${tenantId} ORDER BY type`)).map((r) => r.type);
  }
}
