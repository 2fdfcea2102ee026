/**
 * Reading provider answers, which are JSON we do not control: every access is narrowed, so a missing or
 * oddly typed field reads as undefined instead of throwing.
 */

/** The value as an object whose fields can be read (arrays included, as `typeof` sees them), or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** A nested field (`field(body, 'error', 'message')`), or undefined as soon as a step is not an object. */
export function field(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    const o = asObject(v);
    if (!o) return undefined;
    v = o[key];
  }
  return v;
}

/** The first of `values` that is text or a number, as text (provider ids come as either). */
export function firstText(...values: unknown[]): string | undefined {
  for (const v of values) {
    if (v === undefined || v === null) continue;
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  }
  return undefined;
}
