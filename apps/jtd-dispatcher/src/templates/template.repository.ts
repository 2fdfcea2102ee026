import { Injectable } from '@nestjs/common';
import { Db, many, maybeOne, selectList, Sql, sql } from '@app/shared/db/sql';
import { JtdConfigCache } from '../settings/jtd-config-cache';
import { TemplateRow, TemplateVariable } from './template-renderer';

export interface StoredTemplate extends TemplateRow {
  name: string;
  sourceTypeCode: string | null;
  version: number;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type NewTemplate = Omit<StoredTemplate, 'id' | 'tenantId' | 'version' | 'isActive' | 'createdAt' | 'updatedAt'>;

export interface TemplateChanges {
  name?: string;
  subject?: string;
  content?: string;
  contentHtml?: string;
  variables?: TemplateVariable[];
  providerTemplateId?: string;
  isActive?: boolean;
}

export interface TemplateFilter {
  channel?: string;
  sourceType?: string;
  templateKey?: string;
  /** Where the previous page ended: key, channel, 1 for a system template, id. */
  after?: readonly [templateKey: string, channel: string, isSystem: number, id: string];
}

const FIELDS = [
  'id',
  'tenantId',
  'templateKey',
  'name',
  'channelCode',
  'sourceTypeCode',
  'subject',
  'content',
  'contentHtml',
  'variables',
  'providerTemplateId',
  'version',
  'isActive',
  'createdAt',
  'updatedAt',
] as const satisfies ReadonlyArray<keyof StoredTemplate>;
const COLUMNS: Sql = selectList(null, FIELDS);

/** Templates (`templates`) with tenant-first fallback to the system row (tenant_id NULL). */
@Injectable()
export class TemplateRepository {
  constructor(private readonly cache: JtdConfigCache) {}

  /** `resolve` through the per-replica cache (tenant-scoped; dropped on any template write of the tenant). */
  cachedResolve(db: Db, tenantId: string, channel: string, sourceType: string, templateKey: string | null): Promise<StoredTemplate | null> {
    const key = `template:${channel}:${templateKey === null ? `source:${sourceType}` : `key:${templateKey}`}`;
    return this.cache.get(tenantId, key, () => this.resolve(db, tenantId, channel, sourceType, templateKey), db);
  }

  /** `byId` through the per-replica cache. */
  cachedById(db: Db, tenantId: string, id: string): Promise<StoredTemplate | null> {
    return this.cache.get(tenantId, `template-id:${id}`, () => this.byId(db, tenantId, id), db);
  }

  /** By key when given, else by source type; the tenant's active row wins over the system one. */
  resolve(db: Db, tenantId: string, channel: string, sourceType: string, templateKey: string | null): Promise<StoredTemplate | null> {
    const match = templateKey !== null ? sql`template_key = ${templateKey}` : sql`source_type_code = ${sourceType}`;
    return maybeOne(
      db,
      sql`SELECT ${COLUMNS} FROM templates WHERE is_active AND channel_code = ${channel} AND (tenant_id = ${tenantId} OR tenant_id IS NULL) AND ${match}
          ORDER BY tenant_id NULLS LAST, version DESC, created_at DESC LIMIT 1`,
    );
  }

  /** The tenant's template or a system one; another tenant's is not found. */
  byId(db: Db, tenantId: string, id: string): Promise<StoredTemplate | null> {
    return maybeOne(db, sql`SELECT ${COLUMNS} FROM templates WHERE id = ${id} AND (tenant_id = ${tenantId} OR tenant_id IS NULL)`);
  }

  /** Tenant and system templates by key, channel, the tenant's before the system one, then id (the keyset). */
  list(db: Db, tenantId: string, f: TemplateFilter, limit: number): Promise<Array<StoredTemplate & { isSystemKey: number }>> {
    const after = f.after;
    return many(
      db,
      sql`SELECT ${COLUMNS}, (tenant_id IS NULL)::int AS "isSystemKey" FROM templates
          WHERE (tenant_id = ${tenantId} OR tenant_id IS NULL)
            ${f.channel !== undefined ? sql`AND channel_code = ${f.channel}` : sql.empty}
            ${f.sourceType !== undefined ? sql`AND source_type_code = ${f.sourceType}` : sql.empty}
            ${f.templateKey !== undefined ? sql`AND template_key = ${f.templateKey}` : sql.empty}
            ${after ? sql`AND (template_key, channel_code, (tenant_id IS NULL)::int, id) > (${after[0]}, ${after[1]}, ${after[2]}::int, ${after[3]}::uuid)` : sql.empty}
          ORDER BY template_key, channel_code, (tenant_id IS NULL)::int, id LIMIT ${limit}`,
    );
  }

  /** The new template, or null when the tenant already has one with this key and channel. */
  async insert(tx: Db, tenantId: string, t: NewTemplate): Promise<StoredTemplate | null> {
    const row = await maybeOne<{ id: string }>(
      tx,
      sql`INSERT INTO templates (tenant_id, template_key, name, channel_code, source_type_code, subject, content, content_html, variables, provider_template_id)
          VALUES (${tenantId}, ${t.templateKey}, ${t.name}, ${t.channelCode}, ${t.sourceTypeCode}, ${t.subject}, ${t.content}, ${t.contentHtml},
            ${sql.json(t.variables)}, ${t.providerTemplateId})
          ON CONFLICT DO NOTHING RETURNING id`,
    );
    if (!row) return null;
    this.cache.changed(tx, tenantId);
    return this.byId(tx, tenantId, row.id);
  }

  /** Only the given fields change; 'stale' when the template has another version (or is not the tenant's). */
  async update(tx: Db, tenantId: string, id: string, version: number, t: TemplateChanges): Promise<StoredTemplate | 'stale'> {
    const row = await maybeOne<{ id: string }>(
      tx,
      sql`UPDATE templates SET name = COALESCE(${t.name ?? null}, name), subject = COALESCE(${t.subject ?? null}, subject),
            content = COALESCE(${t.content ?? null}, content), content_html = COALESCE(${t.contentHtml ?? null}, content_html),
            variables = COALESCE(${sql.json(t.variables)}, variables), provider_template_id = COALESCE(${t.providerTemplateId ?? null}, provider_template_id),
            is_active = COALESCE(${t.isActive ?? null}::boolean, is_active), version = version + 1, updated_at = now()
          WHERE id = ${id} AND tenant_id = ${tenantId} AND version = ${version} RETURNING id`,
    );
    if (!row) return 'stale';
    this.cache.changed(tx, tenantId);
    return (await this.byId(tx, tenantId, id))!;
  }
}
