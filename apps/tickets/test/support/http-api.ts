import { randomUUID } from 'node:crypto';
import { Role } from '@app/shared/context/request-context';
import { authHeader } from '@app/shared/testing/tokens';

export interface ApiResult<T = any> {
  status: number;
  body: T;
  contentType: string | null;
}

/** A caller of the HTTP API with one identity (tenant, user, roles). */
export function apiAs(baseUrl: string, who: { tenantId: string; userId?: string; roles: Role[]; name?: string }) {
  const userId = who.userId ?? randomUUID();
  const headers = authHeader({ tenantId: who.tenantId, userId, roles: who.roles, name: who.name });
  const call = async <T = any>(method: string, path: string, body?: unknown, extra: RequestInit = {}): Promise<ApiResult<T>> => {
    const init: RequestInit = { method, headers: { ...headers, ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) }, ...extra };
    if (body !== undefined) init.body = body instanceof FormData ? body : JSON.stringify(body);
    const res = await fetch(`${baseUrl}${path}`, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, contentType: res.headers.get('content-type') };
  };
  return {
    userId,
    tenantId: who.tenantId,
    auth: headers.authorization,
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
    put: <T = any>(path: string, body?: unknown) => call<T>('PUT', path, body ?? {}),
    patch: <T = any>(path: string, body?: unknown) => call<T>('PATCH', path, body ?? {}),
    delete: <T = any>(path: string) => call<T>('DELETE', path),
    upload: <T = any>(path: string, form: FormData) => call<T>('POST', path, form),
  };
}

export type Api = ReturnType<typeof apiAs>;
