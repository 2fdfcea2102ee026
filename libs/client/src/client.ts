import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
export type ContractNestClient = Client<paths>;
/** A schema of the document by name, e.g. `Schema<'TenantView'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export interface ClientOptions {
  /** The gateway's API root, e.g. `http://127.0.0.1:3000/v1`. */
  baseUrl: string;
  /** A bearer token, or a function that answers the current one. */
  token?: string | (() => string | Promise<string>);
  /** Headers on every request (an `X-Request-Id` of your flow, say). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/**
 * A typed client of the ContractNest Ops API: paths, parameters, bodies and answers are checked by the
 * compiler against the OpenAPI document (generated from the same declarations the gateway serves).
 *
 *   const api = createContractNestClient({ baseUrl: 'http://127.0.0.1:3000/v1', token });
 *   const { data, error } = await api.POST('/contracts/{id}/activate', { params: { path: { id } } });
 */
export function createContractNestClient(options: ClientOptions): ContractNestClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, headers: options.headers, fetch: options.fetch });
  const { token } = options;
  if (token !== undefined) {
    const auth: Middleware = {
      async onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${typeof token === 'function' ? await token() : token}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}
