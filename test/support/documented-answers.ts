import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { API_TAGS, OPERATIONS } from '@app/shared/api/operations';
import { buildOpenApiDocument, errorCodesOf, EVENT_STREAM_CONTENT_TYPE, PROBLEM_CONTENT_TYPE } from '@app/shared/contract/openapi-document';
import { Operation } from '@app/shared/contract/operation';
import { HTTP_STATUS_OF } from '@app/shared/errors/domain-error';

/**
 * The JSON body of a gateway answer in the end-to-end tests, after DocumentedAnswers has checked it against
 * the OpenAPI document. Left untyped on purpose: that runtime check is what proves its shape, and typing the
 * several hundred reads of the tests by hand would restate the schemas. Tests that want compile-time types
 * use `stack.client` (the typed client of libs/client). This is the one `any` of the code base.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked at runtime against the document (above)
export type CheckedJson = any;

interface Route {
  op: Operation;
  pattern: RegExp;
}

/**
 * Checks that an answer of the gateway is one the OpenAPI document promises: the status is documented for
 * the operation, a success body matches its response schema (no undeclared field: schemas are closed), and
 * an error is problem+json with a code the operation documents for that status. The end-to-end tests run
 * every answer through it, so the document is proven by them.
 */
export class DocumentedAnswers {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(operations: readonly Operation[] = OPERATIONS) {
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    const document = buildOpenApiDocument(operations, { version: '0.0.0', tags: API_TAGS });
    this.ajv.addSchema({ $id: 'doc', components: document.components } as never);
    // Literal segments win over parameters, as in the gateway's router: /jtd/templates is not /jtd/{id}.
    const literals = (path: string) => path.split('/').filter((seg) => seg && !seg.startsWith('{')).length;
    this.routes = operations
      .filter((op) => op.http)
      .map((op) => ({ op, pattern: new RegExp(`^${op.http!.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
      .sort((a, b) => literals(b.op.http!.path) - literals(a.op.http!.path));
  }

  /** Throws, saying what differs, when the answer is not one the document describes. */
  check(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
    const bare = path.split('?')[0].replace(/^\/v1/, '');
    const route = this.routes.find((r) => r.op.http!.method === method.toUpperCase() && r.pattern.test(bare));
    if (!route) {
      // No operation has this path (a client's typo, or an empty path segment): any 4xx problem will do.
      if (status >= 400 && status < 500) return this.checkProblem(`${method} ${path}`, contentType, body);
      throw new Error(`${method} ${path} answered ${status} but the document has no such operation`);
    }
    const http = route.op.http!;
    const where = `${route.op.name} (${method} ${path}) answered ${status}`;
    if (status === (http.status ?? 200)) {
      if (http.download) return;
      // A stream's body never ends: the head is what can be checked (callers read no further).
      if (http.stream) {
        if (!contentType?.includes(EVENT_STREAM_CONTENT_TYPE)) throw new Error(`${where} with content type ${contentType}, not ${EVENT_STREAM_CONTENT_TYPE}`);
        return;
      }
      if (!contentType?.includes('application/json')) throw new Error(`${where} with content type ${contentType}`);
      const validate = this.validatorFor(route.op);
      if (!validate(body))
        throw new Error(`${where} with a body the document does not describe: ${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 2000)}`);
      return;
    }
    this.checkProblem(where, contentType, body);
    const codes = errorCodesOf(route.op).filter((c) => HTTP_STATUS_OF[c] === status);
    const code = (body as { code?: string })?.code;
    if (!codes.includes(code as never))
      throw new Error(`${where} with code ${code}, which the document does not list for ${status} (it lists: ${codes.join(', ') || 'none'})`);
  }

  private checkProblem(where: string, contentType: string | null, body: unknown): void {
    if (!contentType?.includes(PROBLEM_CONTENT_TYPE)) throw new Error(`${where} with content type ${contentType}, not problem+json`);
    const validate = this.ajv.getSchema('doc#/components/schemas/Problem')!;
    if (!validate(body)) throw new Error(`${where} with a problem the document does not describe: ${this.ajv.errorsText(validate.errors)}`);
  }

  private validatorFor(op: Operation): ValidateFunction {
    let v = this.validators.get(op.name);
    if (!v) {
      this.validators.set(op.name, (v = this.ajv.compile({ $ref: `doc#/components/schemas/${op.output.name}` })));
    }
    return v;
  }
}
