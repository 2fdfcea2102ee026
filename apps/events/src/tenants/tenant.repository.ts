import { Injectable } from '@nestjs/common';
import { Db, exec, many, sql } from '@app/shared/db/sql';

export interface TenantRow {
  id: string;
  name: string;
  timezone: string;
  locale: string;
  createdAt: Date;
}

/** The tenant registry (this service owns it). */
@Injectable()
export class TenantRepository {
  /** Registers a tenant; false when the id is taken. */
  async insert(db: Db, t: TenantRow): Promise<boolean> {
    const n = await exec(
      db,
      sql`INSERT INTO tenants (id, name, timezone, locale, created_at) VALUES (${t.id}, ${t.name}, ${t.timezone}, ${t.locale}, ${t.createdAt})
          ON CONFLICT (id) DO NOTHING`,
    );
    return n === 1;
  }

  async exists(db: Db, id: string): Promise<boolean> {
    return (await many(db, sql`SELECT 1 FROM tenants WHERE id = ${id}`)).length > 0;
  }
}
