import { getMetadataStorage } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { NULLABLE_KEY } from '../validation/decorators';
import { defaultMetadataStorage } from '../validation/class-transformer-storage';

/** A JSON Schema as OpenAPI 3.0 uses it. */
export type Schema = { [key: string]: unknown };

const PREFIX = '#/components/schemas/';

/**
 * How our house validators and the library's defaults appear in the document where the library's own
 * mapping is wrong for OpenAPI 3.0 (`not: { type: null }`, a oneOf of two date formats) or absent.
 */
const CONVERTERS: ISchemaConverters = {
  isCalendarDate: { type: 'string', format: 'date' },
  isTimestamp: { type: 'string', format: 'date-time' },
  isIso8601: { type: 'string', format: 'date-time' },
  isDefined: {},
  isObject: { type: 'object', additionalProperties: true },
  // The library types a bound as `number`, which overrides the `integer` of @IsInt on the same field.
  min: (meta) => ({ minimum: meta.constraints[0] as number }),
  max: (meta) => ({ maximum: meta.constraints[0] as number }),
};

/**
 * JSON Schemas of DTO and view classes, generated from the class-validator rules that validate them, so the
 * document and the validation cannot disagree. Nested classes become components named after the class (two
 * different classes with one name are refused: the document would lie about one of them). A field marked
 * `@Nullable()` is required and nullable; `@IsOptional()` ones are not required.
 */
export class ClassSchemas {
  readonly components: Record<string, Schema> = {};
  private readonly owners = new Map<string, Function>();

  /** A `$ref` to the class's component, registering it (and what it nests) on first use. */
  ref(cls: Function): Schema {
    this.register(cls);
    return { $ref: PREFIX + cls.name };
  }

  /** The class's own schema, nested classes as `$ref`s (for parameters and inline bodies). */
  inline(cls: Function): Schema {
    const schema = targetConstructorToSchema(cls, {
      classTransformerMetadataStorage: defaultMetadataStorage,
      classValidatorMetadataStorage: getMetadataStorage(),
      refPointerPrefix: PREFIX,
      additionalConverters: CONVERTERS,
    }) as Schema;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [name, prop] of Object.entries(properties)) {
      const nested = nestedClassOf(cls, name);
      const holder = (prop.$ref ? prop : (prop.items as Schema | undefined)?.$ref ? prop.items : null) as Schema | null;
      if (holder) {
        if (nested) {
          this.register(nested);
          holder.$ref = PREFIX + nested.name;
        } else {
          delete holder.$ref;
          holder.type = 'object';
        }
      }
      if (prop.$ref && Object.keys(prop).length > 1) {
        // OpenAPI 3.0 ignores siblings of $ref; keep the description by wrapping.
        const { $ref, ...rest } = prop;
        properties[name] = { ...rest, allOf: [{ $ref }] };
      }
    }
    const nullable = nullablePropertiesOf(cls);
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const name of nullable) {
      const prop = properties[name];
      if (!prop) continue;
      const ref = (prop.$ref ?? (prop.allOf as Schema[] | undefined)?.[0]?.$ref) as string | undefined;
      if (ref) {
        // OpenAPI 3.0.3: `nullable` only widens a `type` beside it, and a $ref has none, so null is its own branch.
        const { $ref: _ref, allOf: _allOf, ...rest } = prop;
        properties[name] = { ...rest, anyOf: [{ $ref: ref }, { type: 'object', nullable: true, enum: [null] }] };
      } else {
        prop.nullable = true;
        // A null is only valid where the enum lists it.
        if (Array.isArray(prop.enum) && !prop.enum.includes(null)) prop.enum = [...prop.enum, null];
      }
      required.add(name);
    }
    if (required.size > 0) schema.required = [...required];
    else delete schema.required;
    schema.type = 'object';
    schema.properties = properties;
    // Inputs refuse unknown fields, and answers carry only what their class declares.
    schema.additionalProperties ??= false;
    return schema;
  }

  private register(cls: Function): void {
    const owner = this.owners.get(cls.name);
    if (owner === cls) return;
    if (owner) throw new Error(`two classes are named ${cls.name}: rename one, the document names schemas by class`);
    this.owners.set(cls.name, cls);
    this.components[cls.name] = {};
    this.components[cls.name] = this.inline(cls);
  }
}

function nestedClassOf(cls: Function, property: string): Function | undefined {
  const meta = defaultMetadataStorage.findTypeMetadata(cls, property);
  const nested = meta?.typeFunction?.() as Function | undefined;
  return nested && nested !== Number && nested !== String && nested !== Boolean && nested !== Date && nested !== Object ? nested : undefined;
}

function nullablePropertiesOf(cls: Function): Set<string> {
  const out = new Set<string>();
  for (let c: Function | null = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c) as Function | null) {
    for (const p of (Reflect.getOwnMetadata(NULLABLE_KEY, c) as string[] | undefined) ?? []) out.add(p);
  }
  return out;
}
