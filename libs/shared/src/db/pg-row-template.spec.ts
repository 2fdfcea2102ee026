import fc from 'fast-check';
import { inspect } from 'node:util';
import { inRange, installedVersion } from '../testing/installed-version';
import { fastRowTemplates, pgAddFields, RELIES_ON } from './pg-row-template';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module of pg, not in its typings
const Result = require('pg/lib/result') as new (
  rowMode?: string,
  types?: unknown,
) => {
  fields: unknown[];
  _parsers?: unknown[];
  _prebuiltEmptyResultObject?: Record<string, unknown>;
  addFields(fields: unknown[]): void;
  parseRow(values: unknown[]): Record<string, unknown>;
};

/** What a Result keeps from a RowDescription: fields, parsers, and the template's keys in order, values and prototype. */
function stateOf(r: InstanceType<typeof Result>) {
  const template = r._prebuiltEmptyResultObject!;
  return {
    fields: r.fields,
    parsers: r._parsers,
    keys: Reflect.ownKeys(template),
    values: Reflect.ownKeys(template).map((k) => template[k as string]),
    prototype: Object.getPrototypeOf(template),
  };
}

/** A row as parsed, comparable: its keys, prototype and inspected values, or the parser's error (a binary int8 of one byte). */
function parsed(r: InstanceType<typeof Result>, values: unknown[]) {
  try {
    const row = r.parseRow(values);
    // inspect: a value parsed alike on both sides may be an Invalid Date, which toEqual never equates
    return { keys: Reflect.ownKeys(row), prototype: Object.getPrototypeOf(row), values: Reflect.ownKeys(row).map((k) => inspect(row[k as string])) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const OIDS = [16, 20, 23, 25, 114, 1082, 1184, 2950, 3802, 1009, 2951, 999_999];
const names = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'id', 'tenantId', '0', '1', ''),
);
const descriptions = fc.array(fc.record({ name: names, dataTypeID: fc.constantFrom(...OIDS), format: fc.constantFrom('text', 'binary', undefined) }), {
  maxLength: 40,
});

/** A client's own parsers: one function per type and format, as pg-types keeps them. */
const clientParsers = new Map<string, (v: unknown) => string>();
const clientTypes = {
  getTypeParser(oid: number, format: string) {
    const key = `${oid}:${format}`;
    if (!clientParsers.has(key)) clientParsers.set(key, (v: unknown) => `${key}:${String(v)}`);
    return clientParsers.get(key)!;
  },
};

describe('plain-object row templates (pg adapter)', () => {
  beforeAll(() => expect(fastRowTemplates()).toBe(true));

  it(`was checked against the installed ${RELIES_ON.package} (${RELIES_ON.range}; after an upgrade, compare pg/lib/result.js's addFields and widen the range)`, () => {
    expect(inRange(installedVersion(RELIES_ON.package), RELIES_ON.range)).toBe(true);
  });

  it('keeps pg’s own addFields and installs once', () => {
    const original = pgAddFields();
    expect(typeof original).toBe('function');
    expect(fastRowTemplates()).toBe(true);
    expect(pgAddFields()).toBe(original);
    expect(Result.prototype.addFields).not.toBe(original);
  });

  it('leaves a Result in the state pg’s own addFields leaves it, and rows parse alike, for any row description', () => {
    const original = pgAddFields()!;
    fc.assert(
      fc.property(descriptions, fc.boolean(), (fields, ownTypes) => {
        // A client with its own type parsers (`types` in its config) hands them to each Result.
        const types = ownTypes ? clientTypes : undefined;
        const ours = new Result(undefined, types);
        const theirs = new Result(undefined, types);
        ours.addFields(fields);
        original.call(theirs, fields as never);
        expect(stateOf(ours)).toEqual(stateOf(theirs));
        const values = fields.map((_, i) => (i % 3 === 0 ? null : String(i)));
        expect(parsed(ours, values)).toEqual(parsed(theirs, values));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a column named __proto__ a property, not the prototype', () => {
    const r = new Result();
    r.addFields([
      { name: 'id', dataTypeID: 25, format: 'text' },
      { name: '__proto__', dataTypeID: 25, format: 'text' },
    ]);
    const row = r.parseRow(['a', 'b']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('b');
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });
});
