import SwaggerParser from '@apidevtools/swagger-parser';
import { Document, Spectral } from '@stoplight/spectral-core';
import * as Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { inputRuleBreaches } from '../contract/input-rules';
import { buildOpenApiDocument } from '../contract/openapi-document';
import { ROLES } from '../context/request-context';
import { API_TAGS, OPERATIONS } from './operations';

const document = () => buildOpenApiDocument(OPERATIONS, { version: '0.0.0', tags: API_TAGS });

describe('the API contract (every operation of the registry)', () => {
  it('names who may call every HTTP operation, and only roles that exist', () => {
    for (const op of OPERATIONS) {
      if (op.roles === 'public') expect(op.http?.auth).toBeDefined();
      else {
        expect(op.roles.length).toBeGreaterThan(0);
        for (const role of op.roles) expect(ROLES).toContain(role);
      }
    }
  });

  it('keeps every input bounded: numbers, strings and lists have limits, required nested objects are required', () => {
    const breaches = [...new Set(OPERATIONS.flatMap((op) => inputRuleBreaches(op.input)))];
    expect(breaches).toEqual([]);
  });

  it('uses only the document’s tags', () => {
    const tags = new Set<string>(API_TAGS.map((t) => t.name));
    expect(OPERATIONS.filter((op) => !tags.has(op.tag)).map((op) => `${op.name}: ${op.tag}`)).toEqual([]);
  });

  it('builds an OpenAPI document that swagger-parser validates', async () => {
    await expect(SwaggerParser.validate(JSON.parse(JSON.stringify(document())) as never)).resolves.toBeDefined();
  });

  it('has no error and no warning under Spectral’s oas ruleset (all rules)', async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas as never, 'all']] } as never);
    const results = await spectral.run(new Document(JSON.stringify(document(), null, 2), Parsers.Json));
    expect(results.map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`)).toEqual([]);
  });
});
