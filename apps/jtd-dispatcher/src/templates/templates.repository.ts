import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JtdConfigCache } from '../settings/jtd-config-cache';
import { TemplateRow } from './template-renderer';

const COLUMNS = `id, tenant_id AS "tenantId", template_key AS "templateKey", name, channel_code AS "channelCode",
  source_type_code AS "sourceTypeCode", subject, content, content_html AS "contentHtml", variables,
  provider_template_id AS "providerTemplateId", version, is_active AS "isActive", created_at AS "createdAt", updated_at AS "updatedAt"`;

export type StoredTemplate = TemplateRow & { name: string; sourceTypeCode: string | null; version: number; isActive: boolean };

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

  async byId(tenantId: string, id: string, tx: EntityManager = this.dataSource.manager): Promise<StoredTemplate | null> {
    const rows = await tx.query(`SELECT ${COLUMNS} FROM templates WHERE id = $2 AND (tenant_id = $1 OR tenant_id IS NULL)`, [tenantId, id]);
    return rows[0] ?? null;
  }

  async list(tenantId: string, channel?: string): Promise<StoredTemplate[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM templates WHERE (tenant_id = $1 OR tenant_id IS NULL) AND ($2::text IS NULL OR channel_code = $2)
       ORDER BY template_key, channel_code, tenant_id NULLS LAST`,
      [tenantId, channel ?? null],
    );
  }

  async insert(tenantId: string, t: Omit<StoredTemplate, 'id' | 'tenantId' | 'version' | 'isActive'>): Promise<StoredTemplate> {
    const rows = await this.dataSource.query(
      `INSERT INTO templates (tenant_id, template_key, name, channel_code, source_type_code, subject, content, content_html, variables, provider_template_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING RETURNING id`,
      [tenantId, t.templateKey, t.name, t.channelCode, t.sourceTypeCode, t.subject, t.content, t.contentHtml, JSON.stringify(t.variables), t.providerTemplateId],
    );
    if (rows[0]) await this.cache.changed(this.dataSource.manager, tenantId);
    return rows[0] ? (await this.byId(tenantId, rows[0].id))! : (null as any);
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
