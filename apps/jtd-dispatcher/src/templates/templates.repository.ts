import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JtdConfigCache } from '../settings/jtd-config-cache';
import { TemplateRow } from './template-renderer';

const COLUMNS = `id, tenant_id AS "tenantId", template_key AS "templateKey", name, channel_code AS "channelCode",
  source_type_code AS "sourceTypeCode", subject, content, content_html AS "contentHtml", variables,
  provider_template_id AS "providerTemplateId", version, is_active AS "isActive", created_at AS "createdAt", updated_at AS "updatedAt"`;

export type StoredTemplate = TemplateRow & { name: string; sourceTypeCode: string | null; version: number; isActive: boolean; createdAt: Date; updatedAt: Date };

export interface TemplateFilter {
  channel?: string;
  sourceType?: string;
  templateKey?: string;
}

/** Where a page of templates ends: key, channel, 1 for a system template, id. */
export type TemplateKeyset = readonly [string, string, number, string];

/** Templates with tenant-first fallback to the system row (tenant_id NULL). */
@Injectable()
export class TemplatesRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: JtdConfigCache,
  ) {}

  /** `resolve` through the per-replica cache (tenant-scoped; dropped on any template write of the tenant). */
  cachedResolve(tenantId: string, channel: string, sourceType: string, templateKey: string | null, tx?: EntityManager): Promise<StoredTemplate | null> {
    return this.cache.get(tenantId, `template:${channel}:${templateKey === null ? `source:${sourceType}` : `key:${templateKey}`}`, () => this.resolve(tenantId, channel, sourceType, templateKey, tx));
  }

  /** `byId` through the per-replica cache. */
  cachedById(tenantId: string, id: string): Promise<StoredTemplate | null> {
    return this.cache.get(tenantId, `template-id:${id}`, () => this.byId(tenantId, id));
  }

  /** By key when given, else by source type; the tenant's active row wins over the system one. */
  async resolve(tenantId: string, channel: string, sourceType: string, templateKey: string | null, tx: EntityManager = this.dataSource.manager): Promise<StoredTemplate | null> {
    const byKey = templateKey !== null;
    const rows = await tx.query(
      `SELECT ${COLUMNS} FROM templates
       WHERE is_active AND channel_code = $2 AND (tenant_id = $1 OR tenant_id IS NULL)
         AND ${byKey ? 'template_key = $3' : 'source_type_code = $3'}
       ORDER BY tenant_id NULLS LAST, version DESC, created_at DESC LIMIT 1`,
      [tenantId, channel, byKey ? templateKey : sourceType],
    );
    return rows[0] ?? null;
  }

  async isSourceType(code: string): Promise<boolean> {
    return (await this.dataSource.query(`SELECT 1 FROM source_types WHERE code = $1`, [code])).length > 0;
  }

  async byId(tenantId: string, id: string, tx: EntityManager = this.dataSource.manager): Promise<StoredTemplate | null> {
    const rows = await tx.query(`SELECT ${COLUMNS} FROM templates WHERE id = $2 AND (tenant_id = $1 OR tenant_id IS NULL)`, [tenantId, id]);
    return rows[0] ?? null;
  }

  /** Tenant and system templates by key, channel, the tenant's before the system one, then id (the keyset). */
  async list(tenantId: string, f: TemplateFilter, after: TemplateKeyset | undefined, limit: number): Promise<Array<StoredTemplate & { isSystemKey: number }>> {
    return this.dataSource.query(
      `SELECT ${COLUMNS}, (tenant_id IS NULL)::int AS "isSystemKey" FROM templates
       WHERE (tenant_id = $1 OR tenant_id IS NULL) AND ($2::text IS NULL OR channel_code = $2)
         AND ($3::text IS NULL OR source_type_code = $3) AND ($4::text IS NULL OR template_key = $4)
         AND ($5::text IS NULL OR (template_key, channel_code, (tenant_id IS NULL)::int, id) > ($5, $6, $7, $8::uuid))
       ORDER BY template_key, channel_code, (tenant_id IS NULL)::int, id LIMIT $9`,
      [tenantId, f.channel ?? null, f.sourceType ?? null, f.templateKey ?? null, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, after?.[3] ?? null, limit],
    );
  }

  /** The new template, or null when the tenant already has one with this key and channel. */
  async insert(tenantId: string, t: Omit<StoredTemplate, 'id' | 'tenantId' | 'version' | 'isActive' | 'createdAt' | 'updatedAt'>): Promise<StoredTemplate | null> {
    const rows = await this.dataSource.query(
      `INSERT INTO templates (tenant_id, template_key, name, channel_code, source_type_code, subject, content, content_html, variables, provider_template_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING RETURNING id`,
      [tenantId, t.templateKey, t.name, t.channelCode, t.sourceTypeCode, t.subject, t.content, t.contentHtml, JSON.stringify(t.variables), t.providerTemplateId],
    );
    if (rows[0]) await this.cache.changed(this.dataSource.manager, tenantId);
    return rows[0] ? this.byId(tenantId, rows[0].id) : null;
  }

  async update(tenantId: string, id: string, version: number, t: Partial<StoredTemplate>): Promise<StoredTemplate | 'stale'> {
    const res = await this.dataSource.query(
      `UPDATE templates SET name = COALESCE($4, name), subject = COALESCE($5, subject), content = COALESCE($6, content),
         content_html = COALESCE($7, content_html), variables = COALESCE($8, variables), provider_template_id = COALESCE($9, provider_template_id),
         is_active = COALESCE($10, is_active), version = version + 1, updated_at = now()
       WHERE id = $2 AND tenant_id = $1 AND version = $3 RETURNING id`,
      [tenantId, id, version, t.name ?? null, t.subject ?? null, t.content ?? null, t.contentHtml ?? null, t.variables ? JSON.stringify(t.variables) : null, t.providerTemplateId ?? null, t.isActive ?? null],
    );
    if (res[0].length === 0) return 'stale';
    await this.cache.changed(this.dataSource.manager, tenantId);
    return (await this.byId(tenantId, id))!;
  }
}
