import { EvidenceTypeDto, EvidenceTypeView } from '@app/shared/api/tickets/field-settings.dto';
import { EVIDENCE_TYPES, FILE_EVIDENCE_TYPES } from '@app/shared/api/tickets/tickets.vocabulary';
import { DomainError } from '@app/shared/errors/domain-error';

/** One type of a tenant's evidence list as stored (`field_settings.evidence_types`). */
export interface EvidenceTypeDef {
  code: string;
  label: string;
  takesFile: boolean;
  enabled: boolean;
}

const LABELS: Record<string, string> = {
  photo: 'Photo',
  document: 'Document',
  signature: 'Signature',
  form_data: 'Form data',
  note: 'Note',
  otp: 'Customer OTP',
};
const BUILT_IN = new Set<string>(EVIDENCE_TYPES);

/** The system defaults: the six built-in types, all enabled. */
export const DEFAULT_EVIDENCE_TYPES: readonly EvidenceTypeDef[] = EVIDENCE_TYPES.map((code) => ({
  code,
  label: LABELS[code],
  takesFile: FILE_EVIDENCE_TYPES.includes(code),
  enabled: true,
}));

export function isBuiltInEvidenceType(code: string): boolean {
  return BUILT_IN.has(code);
}

export function evidenceTypeViews(types: readonly EvidenceTypeDef[]): EvidenceTypeView[] {
  return types.map((t) => ({ ...t, isBuiltIn: isBuiltInEvidenceType(t.code) }));
}

/**
 * A tenant's new list, checked: codes unique (400), a built-in type keeps whether it takes a file (400), and
 * no type that recorded evidence uses may leave the list (422 TYPE_IN_USE: disable it instead, so the records
 * keep a type the tenant's list still explains).
 */
export function planEvidenceTypes(input: readonly EvidenceTypeDto[], inUse: readonly string[]): EvidenceTypeDef[] {
  const errors: Record<string, string[]> = {};
  const seen = new Set<string>();
  const types = input.map((t, i) => {
    if (seen.has(t.code)) errors[`types.${i}.code`] = [`${t.code} is listed twice`];
    seen.add(t.code);
    const builtInFile = FILE_EVIDENCE_TYPES.includes(t.code as never);
    if (isBuiltInEvidenceType(t.code) && t.takesFile !== undefined && t.takesFile !== builtInFile) {
      errors[`types.${i}.takesFile`] = [`${t.code} is a built-in type that ${builtInFile ? 'always takes' : 'never takes'} a file`];
    }
    return { code: t.code, label: t.label, takesFile: isBuiltInEvidenceType(t.code) ? builtInFile : (t.takesFile ?? false), enabled: t.enabled ?? true };
  });
  if (Object.keys(errors).length > 0) throw DomainError.validation(errors);
  assertKeepsUsed(types, inUse);
  return types;
}

/** Refuses a list without a type recorded evidence uses (422 TYPE_IN_USE naming them). */
export function assertKeepsUsed(types: readonly EvidenceTypeDef[], inUse: readonly string[]): void {
  const missing = inUse.filter((code) => !types.some((t) => t.code === code));
  if (missing.length > 0) {
    throw DomainError.rule(`evidence of type ${missing.join(', ')} is recorded: keep the type in the list and disable it instead`, {
      reason: 'TYPE_IN_USE',
      types: missing,
    });
  }
}

/** The type a new piece of evidence names, if the tenant's list has it enabled; else 422 naming the allowed ones. */
export function allowedEvidenceType(types: readonly EvidenceTypeDef[], code: string): EvidenceTypeDef {
  const t = types.find((x) => x.code === code && x.enabled);
  if (t) return t;
  const allowed = types.filter((x) => x.enabled).map((x) => x.code);
  throw DomainError.rule(`evidence type ${code} is not one of this tenant's: ${allowed.join(', ')}`, {
    reason: 'EVIDENCE_TYPE_NOT_ALLOWED',
    field: 'type',
    allowed,
  });
}
