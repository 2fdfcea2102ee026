import { Injectable } from '@nestjs/common';
import { CreateJtdTemplateDto, JtdTemplateView, ListJtdTemplatesQuery, UpdateJtdTemplateDto } from '@app/shared/api/jtd/jtd-templates.dto';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page } from '@app/shared/contract/page';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { iso } from '../jobs/job-row';
import { pageSize, toPage } from '../keyset-page';
import { StoredTemplate, TemplatesRepository } from './templates.repository';

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g;

/** Tenant templates; system templates (tenant null) are visible and read-only. */
@Injectable()
export class JtdTemplatesService {
  constructor(private readonly repo: TemplatesRepository) {}

  async list(tenantId: string, q: ListJtdTemplatesQuery): Promise<Page<JtdTemplateView>> {
    const after = decodeCursor(q.cursor, ['text', 'text', 'int', 'uuid']);
    const size = pageSize(q.limit);
    const rows = await this.repo.list(tenantId, q, after, size + 1);
    return toPage(rows, size, templateView, (t) => [t.templateKey, t.channelCode, t.isSystemKey, t.id]);
  }

  async get(tenantId: string, id: string): Promise<JtdTemplateView> {
    const t = await this.repo.byId(tenantId, id);
    if (!t) throw DomainError.notFound('template', id);
    return templateView(t);
  }

  async create(tenantId: string, dto: CreateJtdTemplateDto): Promise<JtdTemplateView> {
    checkPlaceholders(dto.content, dto.subject, dto.variables.map((v) => v.name));
    if (['whatsapp', 'sms'].includes(dto.channel) && !dto.providerTemplateId) {
      throw DomainError.validation({ providerTemplateId: [`${dto.channel} templates need the provider's approved template id`] });
    }
    if (dto.sourceType !== undefined && !(await this.repo.isSourceType(dto.sourceType))) throw DomainError.validation({ sourceType: [`unknown source type ${dto.sourceType}`] });
    const t = await this.repo.insert(tenantId, {
      templateKey: dto.templateKey, name: dto.name, channelCode: dto.channel, sourceTypeCode: dto.sourceType ?? null, subject: dto.subject ?? null,
      content: dto.content, contentHtml: dto.contentHtml ?? null, variables: dto.variables, providerTemplateId: dto.providerTemplateId ?? null,
    });
    if (!t) throw new DomainError(ErrorCode.CONFLICT, `template ${dto.templateKey} for ${dto.channel} already exists`);
    return templateView(t);
  }

  async update(tenantId: string, dto: UpdateJtdTemplateDto): Promise<JtdTemplateView> {
    const cur = await this.repo.byId(tenantId, dto.id);
    if (!cur) throw DomainError.notFound('template', dto.id);
    if (cur.tenantId === null) throw DomainError.rule('system templates are read-only; create a tenant template with the same key');
    const vars = (dto.variables ?? cur.variables).map((v) => (typeof v === 'string' ? v : v.name));
    checkPlaceholders(dto.content ?? cur.content, dto.subject ?? cur.subject ?? undefined, vars);
    const { id, version, ...patch } = dto;
    const res = await this.repo.update(tenantId, id, version, patch);
    if (res === 'stale') throw DomainError.versionConflict(version, cur.version);
    return templateView(res);
  }
}

function checkPlaceholders(content: string, subject: string | undefined | null, declared: string[]) {
  const used = [...`${subject ?? ''} ${content}`.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const missing = used.filter((u) => !declared.includes(u));
  if (missing.length) throw DomainError.validation({ variables: [`placeholders not declared: ${[...new Set(missing)].join(', ')}`] });
}

function templateView(t: StoredTemplate): JtdTemplateView {
  return {
    id: t.id,
    templateKey: t.templateKey,
    name: t.name,
    channel: t.channelCode,
    sourceType: t.sourceTypeCode,
    subject: t.subject,
    content: t.content,
    contentHtml: t.contentHtml,
    // Seeded system templates may declare a variable by its bare name: required, no default.
    variables: t.variables.map((v) => (typeof v === 'string' ? { name: v, required: true, default: null } : { name: v.name, required: v.required !== false, default: v.default ?? null })),
    providerTemplateId: t.providerTemplateId,
    version: t.version,
    isActive: t.isActive,
    isSystem: t.tenantId === null,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}
