import { Role, ROLES } from '../context/request-context';
import { ErrorCode } from '../errors/domain-error';
import { ServiceName, SERVICES } from '../rpc/rpc-request';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Class<T = object> = new () => T;

/** Who answers an operation: one service over RPC, every service (each for its own data), or the gateway itself. */
export type OperationHandler = ServiceName | 'each-service' | 'gateway';

/**
 * How an operation is reached over HTTP. One rule splits the request into the operation's input:
 * - path parameters come from the path (`/events/{id}/transitions` → `id`);
 * - fields named in `query` come from the query string; on GET and DELETE every other field does too;
 * - on POST, PUT and PATCH every other field comes from the JSON body, an object whose keys are the
 *   input's fields, unless `bodyField` names one field that the body is in full (a list, or a provider's
 *   payload as it arrives).
 * A body or query key that names a path parameter is refused; so is any key the input does not declare.
 */
export interface HttpBinding {
  method: HttpMethod;
  /** Under `/v1`, with `{name}` parameters. */
  path: string;
  /** The success status (default 200). Creating POSTs answer 201. */
  status?: 200 | 201 | 202;
  query?: readonly string[];
  bodyField?: string;
  /**
   * The body may also be multipart/form-data with the other fields as parts and one file in this part. The
   * gateway writes the file to the shared FileStore as it streams in and hands the service a reference in
   * this field (`{ storageKey, fileName, contentType, size, sha256 }`), never the bytes.
   */
  upload?: { field: string; description: string };
  /**
   * The answer is the bytes of a file: the service answers a reference to a stored file (`{ storageKey,
   * fileName, contentType, size, sha256 }`) and the gateway streams the bytes from the shared FileStore.
   */
  download?: boolean;
  /** `Idempotency-Key` is honoured: creating POSTs and actions a client may need to retry safely. */
  idempotent?: boolean;
  /** A lower body limit than the gateway's BODY_LIMIT_BYTES for this operation (413 above it). */
  maxBodyBytes?: number;
  /** Authenticated by something else than a bearer token (say what in the description); the roles are then 'public'. */
  auth?: { scheme: 'webhookToken'; queryParameter: string; tenantParameter: string };
  /**
   * The answer is a server-sent event stream (`text/event-stream`), served by the gateway after the usual
   * checks (token, roles, rate limit, input, tenant): GET only, answered by the gateway. The output class
   * describes the `data` of one message; the token may also come as `?access_token=` (browsers' EventSource
   * cannot send headers), and `Last-Event-ID` resumes.
   */
  stream?: boolean;
}

/** The query parameter that may carry the bearer token of a streaming operation (EventSource sends no headers). */
export const STREAM_TOKEN_PARAMETER = 'access_token';

export interface OperationSpec<I extends object, O> {
  /** camelCase, unique: the OpenAPI operationId, and with the service the RPC pattern. */
  name: string;
  handler: OperationHandler;
  /** OpenAPI tag: the resource it belongs to. */
  tag: string;
  summary: string;
  /** The rules users trip on: version semantics, status-machine rules, what makes it wait or fail. */
  description: string;
  input: Class<I>;
  output: Class<O>;
  /** Who may call it. There is no default: an operation that does not say is refused at boot. */
  roles: readonly Role[] | 'public';
  /** Domain error codes it can answer besides those of every operation (validation, auth, rate limit, 5xx). */
  errors: readonly ErrorCode[];
  /** Absent: reachable over RPC only (the gateway composes it into an HTTP operation). */
  http?: HttpBinding;
  /**
   * Whose tenant the gateway requires before it serves the operation. Default `registered`: the caller's
   * tenant (or a webhook's) must be in the tenant registry, else 403 TENANT_UNKNOWN, so a validly signed
   * token for a tenant nobody created cannot make data appear under it. `any`: platform routes that do
   * not read or write a tenant's data (registering a tenant, the event catalog, system status).
   */
  tenant?: TenantRequirement;
}

export type TenantRequirement = 'registered' | 'any';

/** A declared operation, with its input and output types carried for the RPC client and the handlers. */
export interface Operation<I extends object = object, O = unknown> extends OperationSpec<I, O> {
  readonly pattern: string;
  readonly tenant: TenantRequirement;
  /** Phantom fields: never set, they only carry the types. */
  readonly __input?: I;
  readonly __output?: O;
}

export type InputOf<Op> = Op extends Operation<infer I, unknown> ? I : never;
export type OutputOf<Op> = Op extends Operation<object, infer O> ? O : never;

const NAME = /^[a-z][a-zA-Z0-9]*$/;
const PATH = /^(\/([a-z][a-z0-9-]*|\{[a-z][a-zA-Z0-9]*\}))+$/;

/**
 * One declaration per operation: the gateway's route, the service's handler, the OpenAPI entry and the
 * typed client all derive from it. Checks what can be checked without the rest of the registry.
 */
export function defineOperation<I extends object, O>(spec: OperationSpec<I, O>): Operation<I, O> {
  const fail = (why: string) => {
    throw new Error(`operation ${spec.name}: ${why}`);
  };
  if (!NAME.test(spec.name)) fail('name must be camelCase');
  if (!(SERVICES as readonly string[]).includes(spec.handler) && spec.handler !== 'gateway' && spec.handler !== 'each-service')
    fail(`unknown handler ${spec.handler}`);
  if (spec.roles !== 'public') {
    if (!Array.isArray(spec.roles) || spec.roles.length === 0) fail('declares no roles (deny by default: name who may call it)');
    for (const r of spec.roles) if (!(ROLES as readonly string[]).includes(r)) fail(`unknown role ${r}`);
  } else if (!spec.http?.auth) {
    fail('is public but names no other authentication');
  }
  if (!spec.summary || !spec.description) fail('needs a summary and a description');
  if (spec.tenant !== undefined && spec.tenant !== 'registered' && spec.tenant !== 'any') fail(`unknown tenant requirement ${String(spec.tenant)}`);
  // A public operation names its tenant in the request itself: nothing but the registry vouches for it.
  if (spec.tenant === 'any' && spec.roles === 'public') fail('is public, so its tenant must be registered');
  if (spec.http) {
    if (!PATH.test(spec.http.path)) fail(`path ${spec.http.path} must be lower-case segments and {params}`);
    if (spec.http.bodyField && (spec.http.method === 'GET' || spec.http.method === 'DELETE')) fail('a GET or DELETE has no body');
    const max = spec.http.maxBodyBytes;
    if (max !== undefined && (!Number.isInteger(max) || max < 1 || spec.http.method === 'GET' || spec.http.method === 'DELETE'))
      fail('maxBodyBytes must be a positive integer, on an operation with a body');
    if (spec.http.stream) {
      if (spec.http.method !== 'GET' || spec.handler !== 'gateway') fail('a stream is a GET that the gateway answers');
      if (spec.http.idempotent || spec.http.download || spec.http.upload || spec.http.auth || spec.roles === 'public')
        fail('a stream takes a bearer token and nothing but its query');
    }
  }
  const pattern = spec.handler === 'gateway' ? `gateway.${spec.name}` : spec.handler === 'each-service' ? `each.${spec.name}` : `${spec.handler}.${spec.name}`;
  return Object.freeze({ ...spec, tenant: spec.tenant ?? 'registered', pattern });
}

const parametersOf = new Map<string, readonly string[]>();

/** The `{name}` parameters of a path template, in order (the gateway asks on every request: remembered per template). */
export function pathParameters(path: string): readonly string[] {
  let names = parametersOf.get(path);
  if (!names) parametersOf.set(path, (names = Object.freeze([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]))));
  return names;
}

/** Where each input field of an HTTP operation is read from (the rule of HttpBinding). */
export function inputLocation(http: HttpBinding, field: string): 'path' | 'query' | 'body' {
  if (pathParameters(http.path).includes(field)) return 'path';
  if (http.query?.includes(field) || http.method === 'GET' || http.method === 'DELETE') return 'query';
  return 'body';
}

/**
 * Checks a whole registry: unique names, unique method + path, every HTTP operation either public with its
 * own authentication or restricted to roles. Throws listing every problem (the apps call it at boot).
 */
export function checkRegistry(operations: readonly Operation[]): void {
  const problems: string[] = [];
  const names = new Set<string>();
  const routes = new Set<string>();
  for (const op of operations) {
    if (names.has(op.name)) problems.push(`${op.name}: declared twice`);
    names.add(op.name);
    if (op.http) {
      const route = `${op.http.method} ${op.http.path.replace(/\{[^}]+\}/g, '{}')}`;
      if (routes.has(route)) problems.push(`${op.name}: ${route} is already another operation's`);
      routes.add(route);
    } else if (op.handler === 'gateway') {
      problems.push(`${op.name}: the gateway handles only HTTP operations`);
    }
  }
  if (problems.length) throw new Error(`the operation registry is not consistent:\n  ${problems.join('\n  ')}`);
}
