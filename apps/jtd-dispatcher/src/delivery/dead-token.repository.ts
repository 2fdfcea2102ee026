import { Injectable } from '@nestjs/common';
import { Db, exec, many, sql } from '@app/shared/db/sql';

/** Push device tokens the provider declared dead (`dead_device_tokens`): a push job to one fails as an invalid recipient. */
@Injectable()
export class DeadTokenRepository {
  /** The dead tokens of these tenants, by tenant. */
  async ofTenants(db: Db, tenantIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (tenantIds.length === 0) return out;
    const rows = await many<{ tenantId: string; token: string }>(
      db,
      sql`SELECT tenant_id AS "tenantId", token FROM dead_device_tokens WHERE tenant_id = ANY(${sql.array(tenantIds, 'uuid')})`,
    );
    for (const r of rows) (out.get(r.tenantId) ?? out.set(r.tenantId, new Set()).get(r.tenantId)!).add(r.token);
    return out;
  }

  async insertMany(tx: Db, tokens: ReadonlyArray<{ tenantId: string; token: string; reason: string }>): Promise<void> {
    if (tokens.length === 0) return;
    await exec(
      tx,
      sql`INSERT INTO dead_device_tokens (tenant_id, token, reason)
          SELECT * FROM unnest(${sql.array(
            tokens.map((t) => t.tenantId),
            'uuid',
          )}, ${sql.array(
            tokens.map((t) => t.token),
            'text',
          )}, ${sql.array(
            tokens.map((t) => t.reason),
            'text',
          )})
          ON CONFLICT DO NOTHING`,
    );
  }
}
