import { dirname } from 'node:path';

/**
 * Adapter over a node-postgres internal: `Result#addFields` (`pg/lib/result.js`), which runs on every
 * RowDescription, i.e. on every execution of a statement that answers rows (pg describes the portal each
 * time, prepared or not). Besides the type parsers it builds the template each row is copied from
 * (`_prebuiltEmptyResultObject`, so that rows share one hidden class): pg sets every column name on an
 * `Object.create(null)`, a dictionary-mode object, and spreads that into a plain one, and spreading a
 * dictionary costs about 0.17 µs a column: 5–6 µs for a contract event's ~31 columns, most of the 6.5 µs
 * `addFields` took (BENCHMARKS.md, ninth round). Built on a plain object the same template costs ~0.5 µs. The
 * null prototype only matters for a column named `__proto__` (on a plain object that name would set the
 * prototype instead of a property): such a description keeps pg's own code. Same fields, parsers and template
 * (same keys in the same order, values and prototype); pg-row-template.spec.ts compares both on generated
 * descriptions and fails on any other pg version.
 */
export const RELIES_ON = { package: 'pg', range: '8.23.1' } as const;

interface FieldDescription {
  name: string;
  dataTypeID: number;
  format?: string;
}

interface TypeParsers {
  getTypeParser(oid: number, format: string): unknown;
}

interface ResultInternals {
  fields: FieldDescription[];
  _parsers?: unknown[];
  _types?: TypeParsers;
  _prebuiltEmptyResultObject?: Record<string, null>;
  addFields(fieldDescriptions: FieldDescription[]): void;
  [PATCHED]?: (fieldDescriptions: FieldDescription[]) => void;
}

const PATCHED = Symbol.for('cn.pg-row-template');

/** Installs the plain-object template once per process; answers whether it is in place. */
export function fastRowTemplates(): boolean {
  const proto = resultPrototype();
  if (!proto || typeof proto.addFields !== 'function') return false;
  if (proto[PATCHED]) return true;
  const pgAddFields = proto.addFields;
  // pg's own pg-types, the parsers a Result without its own `types` uses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const types = require(require.resolve('pg-types', { paths: [dirname(require.resolve('pg'))] })) as TypeParsers;
  proto.addFields = function (this: ResultInternals, fieldDescriptions: FieldDescription[]) {
    if (fieldDescriptions.some((d) => d.name === '__proto__')) return pgAddFields.call(this, fieldDescriptions);
    this.fields = fieldDescriptions;
    if (fieldDescriptions.length) this._parsers = new Array(fieldDescriptions.length);
    const parsers = this._types ?? types;
    const row: Record<string, null> = {};
    for (let i = 0; i < fieldDescriptions.length; i++) {
      const desc = fieldDescriptions[i];
      row[desc.name] = null;
      this._parsers![i] = parsers.getTypeParser(desc.dataTypeID, desc.format || 'text');
    }
    this._prebuiltEmptyResultObject = { ...row };
  };
  proto[PATCHED] = pgAddFields;
  return true;
}

/** pg's own `addFields`, for the comparison in the spec (undefined until installed). */
export function pgAddFields(): ((fieldDescriptions: FieldDescription[]) => void) | undefined {
  return resultPrototype()?.[PATCHED];
}

function resultPrototype(): ResultInternals | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module of pg, not in its typings
    return (require('pg/lib/result') as { prototype: ResultInternals }).prototype;
  } catch {
    return undefined;
  }
}
