export interface TemplateVariable {
  name: string;
  required?: boolean;
  default?: string;
}

export interface TemplateRow {
  id: string;
  tenantId: string | null;
  templateKey: string;
  channelCode: string;
  subject: string | null;
  content: string;
  contentHtml: string | null;
  variables: Array<TemplateVariable | string>;
  providerTemplateId: string | null;
}

export interface RenderedMessage {
  subject: string | null;
  body: string;
  html: string | null;
  /** Declared variables in declaration order with their final values (WhatsApp body_N, MSG91 VARs). */
  params: Array<{ name: string; value: string }>;
  values: Record<string, string>;
}

export class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`template variable ${variable} is missing`);
  }
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g;

/**
 * Renders `{{var}}` placeholders. Unlike the seed (which left unknown placeholders in the text) a message
 * with a variable we cannot fill is never sent: the job fails naming the variable.
 */
export function renderTemplate(t: TemplateRow, input: Record<string, unknown>): RenderedMessage {
  const declared = t.variables.map((v) => (typeof v === 'string' ? { name: v, required: true } : v));
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(input ?? {})) if (v !== null && v !== undefined && typeof v !== 'object') values[k] = String(v);
  for (const d of declared) {
    if (values[d.name] === undefined || values[d.name] === '') {
      if (d.default !== undefined) values[d.name] = d.default;
      else if (d.required !== false) throw new MissingVariableError(d.name);
    }
  }
  const fill = (text: string | null, escape: (v: string) => string = (v) => v) =>
    text === null
      ? null
      : text.replace(PLACEHOLDER, (_m, name: string) => {
          if (values[name] === undefined) throw new MissingVariableError(name);
          return escape(values[name]);
        });
  return {
    subject: fill(t.subject),
    body: fill(t.content)!,
    // Values come from customers and staff: in the HTML version they are text, never markup.
    html: fill(t.contentHtml, escapeHtml),
    params: declared.map((d) => ({ name: d.name, value: values[d.name] ?? '' })),
    values,
  };
}

/** GSM-7 messages take 160 chars (153 per part when split); anything else is UCS-2 with 70 (67). */
export function smsSegments(text: string): { encoding: 'gsm7' | 'ucs2'; segments: number } {
  const gsm = /^[A-Za-z0-9 @£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\[~\]|€]*$/.test(text);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  const len = [...text].length;
  return { encoding: gsm ? 'gsm7' : 'ucs2', segments: len <= single ? 1 : Math.ceil(len / multi) };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
