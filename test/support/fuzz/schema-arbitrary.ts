import type { SchemaObject } from 'openapi3-ts/oas30';
import fc from 'fast-check';

/** A schema of the OpenAPI (3.0) document, or a reference to one. */
type Schema = SchemaObject & { $ref?: string };

/**
 * A fast-check arbitrary of the values a JSON Schema (OpenAPI 3.0 flavour) accepts, resolving `$ref`s
 * against the document's components. Strings keep to their format, pattern, enum and length; numbers to
 * their bounds; objects have every required property and some optional ones. Used to make valid requests
 * that reach the handlers, which the fuzz test then mutates.
 */
export class SchemaArbitraries {
  constructor(
    private readonly components: Record<string, Schema>,
    /** Known ids to use for some uuid fields, so valid requests also find real rows. */
    private readonly knownIds: () => string[] = () => [],
  ) {}

  of(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    if (schema.$ref) return this.of(this.resolve(schema.$ref), depth);
    if (schema.allOf)
      return this.of(
        Object.assign({}, ...schema.allOf.map((s) => ((s as Schema).$ref ? this.resolve((s as Schema).$ref!) : s)), { nullable: schema.nullable }),
        depth,
      );
    const base = this.nonNull(schema, depth);
    return schema.nullable ? fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
  }

  private nonNull(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
    switch (schema.type) {
      case 'string':
        return this.string(schema);
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.of((schema.items ?? {}) as Schema, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
      case 'object':
        return this.object(schema, depth);
      default:
        return depth > 2 ? fc.constant({}) : fc.jsonValue({ maxDepth: 2 });
    }
  }

  private object(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    if (Object.keys(properties).length === 0)
      return fc.dictionary(
        fc.string({ minLength: 1, maxLength: 8 }).filter((k) => /^[a-z]\w*$/i.test(k)),
        fc.string({ maxLength: 10 }),
        { maxKeys: 3 },
      );
    const required = new Set<string>(schema.required ?? []);
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, prop] of Object.entries(properties)) record[name] = this.of(prop, depth + 1);
    return fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    const max = Math.min(schema.maxLength ?? 40, 40);
    const min = Math.min(schema.minLength ?? 0, max);
    switch (schema.format) {
      case 'uuid': {
        const known = this.knownIds();
        return known.length ? fc.oneof(fc.uuid(), fc.constantFrom(...known)) : fc.uuid();
      }
      case 'date':
        return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      case 'date-time':
        return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
      case 'email':
        return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254));
      case 'binary':
        return fc.string({ maxLength: 10 });
    }
    if (schema.pattern) {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? 1000));
    }
    return fc.string({ minLength: Math.max(min, 0), maxLength: Math.max(max, min) });
  }

  private resolve(ref: string): Schema {
    const name = ref.replace('#/components/schemas/', '');
    const schema = this.components[name];
    if (!schema) throw new Error(`unknown schema ${ref}`);
    return schema;
  }
}
