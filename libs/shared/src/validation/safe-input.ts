import { FieldErrors } from '../errors/domain-error';

/** Deeper than any input we declare; a deeper one is an attack or a mistake, and is refused. */
export const MAX_INPUT_DEPTH = 16;

// NUL: PostgreSQL refuses it in text and jsonb. A lone surrogate: not valid UTF-8, refused by jsonb and by
// every JSON encoder that checks (and our answers would carry it back).
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The one rule for every string of every input, whatever its DTO says: no NUL, no lone surrogate, in values
 * and in keys; no `__proto__`-like keys; nesting bounded. Answers the offending fields by path, or null.
 * Iterative, so a hostile depth cannot overflow the stack before it is refused.
 */
export function unsafeInputErrors(input: unknown, root = ''): FieldErrors | null {
  // A Map, not an object: a path named `constructor` or `__proto__` would find Object.prototype's members.
  const errors = new Map<string, string[]>();
  const add = (path: string, message: string) => {
    const key = path || 'body';
    errors.set(key, [...(errors.get(key) ?? []), message]);
  };
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSAFE.test(value)) add(path, `${path || 'the value'} contains a NUL character or an unpaired UTF-16 surrogate`);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      add(path, `${path || 'the body'} is nested deeper than ${MAX_INPUT_DEPTH} levels`);
      continue;
    }
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    for (const [key, child] of entries) {
      const childPath = path ? `${path}.${key}` : key;
      if (!Array.isArray(value)) {
        if (FORBIDDEN_KEYS.has(key)) {
          add(childPath, `${key} is not an allowed field name`);
          continue;
        }
        if (UNSAFE.test(key)) {
          add(path, `a field name in ${path || 'the body'} contains a NUL character or an unpaired UTF-16 surrogate`);
          continue;
        }
      }
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  // fromEntries defines own properties, so even `__proto__` stays a field name.
  return errors.size > 0 ? Object.fromEntries(errors) : null;
}
