import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/shared/errors/domain-error';
import { CreateJtdTemplateDto, UpdateJtdTemplateDto } from '@app/shared/api/jtd/jtd.dto';
import { TemplatesRepository } from './templates.repository';

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g;

/** Tenant templates; system templates (tenant null) are visible and read-only. */
@Injectable()
export class JtdTemplatesService {
  constructor(private readonly repo: TemplatesRepository) {}

  async list(tenantId: string, channel?: string) {
    return { items: (await this.repo.list(tenantId, channel)).map(view) };
  }

  async get(tenantId: string, id: string) {
    const t = await this.repo.byId(tenantId, id);
    if (!t) throw DomainError.notFound('template', id);
    return view(t);
  }

  async create(tenantId: string, dto: CreateJtdTemplateDto) {
    checkPlaceholders(dto.content, dto.subject, dto.variables.map((v) => v.name));
    if (['whatsapp', 'sms'].includes(dto.channel) && !dto.providerTemplateId) {
      throw DomainError.validation({ providerTemplateId: [`${dto.channel} templates need the provider's approved template id`] });
    }
    const t = await this.repo.insert(tenantId, {
      templateKey: dto.templateKey, name: dto.name, channelCode: dto.channel, sourceTypeCode: dto.sourceType ?? null, subject: dto.subject ?? null,
      content: dto.content, contentHtml: dto.contentHtml ?? null, variables: dto.variables, providerTemplateId: dto.providerTemplateId ?? null,
    });
    if (!t) throw new DomainError('CONFLICT' as any, `template ${dto.templateKey} for ${dto.channel} already exists`);
    return view(t);
  }

  async update(tenantId: string, dto: UpdateJtdTemplateDto) {
    const cur = await this.repo.byId(tenantId, dto.id);
    if (!cur) throw DomainError.notFound('template', dto.id);
    if (cur.tenantId === null) throw DomainError.rule('system templates are read-only; create a tenant template with the same key');
    const vars = (dto.variables ?? cur.variables).map((v: any) => (typeof v === 'string' ? v : v.name));
    checkPlaceholders(dto.content ?? cur.content, dto.subject ?? cur.subject ?? undefined, vars);
    const res = await this.repo.update(tenantId, dto.id, dto.version, dto as any);
    if (res === 'stale') throw DomainError.versionConflict(dto.version, cur.version);
    return view(res);
  }
}

function checkPlaceholders(content: string, subject: string | undefined | null, declared: string[]) {
  const used = [...`${subject ?? ''} ${content}`.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const missing = used.filter((u) => !declared.includes(u));
  if (missing.length) throw DomainError.validation({ variables: [`placeholders not declared: ${[...new Set(missing)].join(', ')}`] });
}

function view(t: any) {
  return { ...t, channel: t.channelCode, sourceType: t.sourceTypeCode, isSystem: t.tenantId === null, createdAt: t.createdAt ? new Date(t.createdAt).toISOString() : null, updatedAt: t.updatedAt ? new Date(t.updatedAt).toISOString() : null };
}
