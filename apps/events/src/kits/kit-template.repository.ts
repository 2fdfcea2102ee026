import { Injectable } from '@nestjs/common';
import { cursorTime } from '@app/shared/contract/cursor';
import { Db, exec, many, maybeOne, selectList, sql } from '@app/shared/db/sql';

export interface KitTemplateComponent {
  id: string;
  name: string;
  quantity: number;
}

export interface KitTemplateRow {
  id: string;
  name: string;
  description: string | null;
  components: KitTemplateComponent[];
  archivedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  cursorAt: string;
}

const COLUMNS = sql`${selectList(null, ['id', 'name', 'description', 'components', 'archivedAt', 'version', 'createdAt', 'updatedAt'])}, ${sql.raw(
  cursorTime('created_at'),
)} AS "cursorAt"`;

/** Kit templates: what a kit holds, in what quantities. Deleting archives. */
@Injectable()
export class KitTemplateRepository {
  find(db: Db, tenantId: string, id: string, opts: { lock?: boolean } = {}): Promise<KitTemplateRow | null> {
    return maybeOne(db, sql`SELECT ${COLUMNS} FROM kit_templates WHERE tenant_id = ${tenantId} AND id = ${id} ${opts.lock ? sql`FOR UPDATE` : sql``}`);
  }

  page(db: Db, tenantId: string, after: { createdAt: string; id: string } | undefined, limit: number): Promise<KitTemplateRow[]> {
    return many(
      db,
      sql`SELECT ${COLUMNS} FROM kit_templates WHERE tenant_id = ${tenantId} AND archived_at IS NULL
          ${after ? sql`AND (created_at, id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)` : sql``}
          ORDER BY created_at, id LIMIT ${limit}`,
    );
  }

  async insert(db: Db, tenantId: string, t: Pick<KitTemplateRow, 'id' | 'name' | 'description' | 'components'>, at: Date): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO kit_templates (id, tenant_id, name, description, components, created_at, updated_at)
          VALUES (${t.id}, ${tenantId}, ${t.name}, ${t.description}, ${sql.json(t.components)}, ${at}, ${at})`,
    );
  }

  async update(db: Db, tenantId: string, t: Pick<KitTemplateRow, 'id' | 'name' | 'description' | 'components'>, at: Date): Promise<void> {
    await exec(
      db,
      sql`UPDATE kit_templates SET name = ${t.name}, description = ${t.description}, components = ${sql.json(t.components)}, version = version + 1, updated_at = ${at}
          WHERE tenant_id = ${tenantId} AND id = ${t.id}`,
    );
  }

  async archive(db: Db, tenantId: string, id: string, at: Date): Promise<void> {
    await exec(
      db,
      sql`UPDATE kit_templates SET archived_at = ${at}, version = version + 1, updated_at = ${at} WHERE tenant_id = ${tenantId} AND id = ${id} AND archived_at IS NULL`,
    );
  }
}
