import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

type Schema = Record<string, any>;

/**
 * The JSON schema of a DTO, generated from the class-validator rules that validate it. Nested classes are
 * resolved through their class-transformer `@Type` (not by class name: several services have a `LocationDto`)
 * and inlined.
 */
export function jsonSchemaOf(dto: Function, depth = 0): Schema {
  const root = targetConstructorToSchema(dto, {
    classTransformerMetadataStorage: defaultMetadataStorage,
    classValidatorMetadataStorage: getMetadataStorage(),
  }) as Schema;
  for (const [prop, schema] of Object.entries((root.properties ?? {}) as Record<string, Schema>)) {
    const holder = schema.$ref ? schema : schema.items?.$ref ? schema.items : null;
    if (!holder) continue;
    const nested = defaultMetadataStorage.findTypeMetadata(dto, prop)?.typeFunction?.() as Function | undefined;
    delete holder.$ref;
    Object.assign(holder, nested && depth < 4 ? jsonSchemaOf(nested, depth + 1) : { type: 'object' });
  }
  return root;
}

/** `@ApiBody` with the DTO's generated schema. */
export function ApiJsonBody(dto: Function, description?: string): MethodDecorator {
  return applyDecorators(ApiBody({ schema: jsonSchemaOf(dto), description }));
}

/** Path parameters from the DTO that validates them. */
export function ApiParamsFrom(dto: Function): MethodDecorator {
  const schema = jsonSchemaOf(dto);
  return applyDecorators(...Object.entries(schema.properties ?? {}).map(([name, s]) => ApiParam({ name, required: true, schema: s as Schema })));
}

/** Query parameters from the DTO that validates them. */
export function ApiQueryFrom(dto: Function): MethodDecorator {
  const schema = jsonSchemaOf(dto);
  const required: string[] = schema.required ?? [];
  return applyDecorators(...Object.entries(schema.properties ?? {}).map(([name, s]) => ApiQuery({ name, required: required.includes(name), schema: s as Schema })));
}

/** The success response of a route, with its schema. */
export function ApiResult(status: 200 | 201, schema: Schema, description = 'OK'): MethodDecorator {
  return ApiResponse({ status, description, content: { 'application/json': { schema } } });
}
