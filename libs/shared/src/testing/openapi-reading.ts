/**
 * The parts of the served OpenAPI document (/docs/openapi.json) that tests read, typed as the document is
 * written by libs/shared/src/contract: a test reading a part that is missing fails on it, as it should.
 */
export interface SchemaNode {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  required: string[];
  properties: Record<string, SchemaNode>;
  items: SchemaNode;
  allOf?: SchemaNode[];
  minimum?: number;
  maximum?: number;
  [keyword: string]: unknown;
}

export interface ParameterNode {
  $ref?: string;
  name?: string;
  in?: string;
  required?: boolean;
  schema?: SchemaNode;
}

export interface ContentNode {
  schema: SchemaNode;
}

export interface OperationNode {
  operationId: string;
  parameters: ParameterNode[];
  requestBody: { content: Record<string, ContentNode> };
  responses: Record<string, { description: string; content: Record<string, ContentNode> }>;
  [field: string]: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, OperationNode>>;
  components: { schemas: Record<string, SchemaNode>; securitySchemes: Record<string, Record<string, unknown>>; parameters: Record<string, ParameterNode> };
}
