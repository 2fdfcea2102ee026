import { JtdTemplateView } from '@app/shared/api/jtd/jtd-templates.dto';
import { DomainError } from '@app/shared/errors/domain-error';
import { iso } from '../jobs/job.view';
import { StoredTemplate } from './template.repository';

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g;

/** Every `{{placeholder}}` of the subject and content must be a declared variable (400 naming the others). */
export function checkPlaceholders(content: string, subject: string | undefined | null, declared: readonly string[]): void {
  const used = [...`${subject ?? ''} ${content}`.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const missing = used.filter((u) => !declared.includes(u));
  if (missing.length) throw DomainError.validation({ variables: [`placeholders not declared: ${[...new Set(missing)].join(', ')}`] });
}

export function templateView(t: StoredTemplate): JtdTemplateView {
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
    variables: t.variables.map((v) =>
      typeof v === 'string' ? { name: v, required: true, default: null } : { name: v.name, required: v.required !== false, default: v.default ?? null },
    ),
    providerTemplateId: t.providerTemplateId,
    version: t.version,
    isActive: t.isActive,
    isSystem: t.tenantId === null,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}
