import type { CheckedJson } from '../../../../test/support/documented-answers';
import { randomUUID } from 'node:crypto';
import { Role } from '@app/shared/context/request-context';
import { authHeader } from '@app/shared/testing/tokens';

export interface ApiResult<T = CheckedJson> {
  status: number;
  body: T;
  contentType: string | null;
}

/** Checks an answer against what the OpenAPI document promises (test/support/documented-answers.ts). */
export interface AnswerCheck {
  check(method: string, path: string, status: number, contentType: string | null, body: unknown): void;
}

/**
 * A caller of the HTTP API with one identity (tenant, user, roles). With `answers`, every answer must be one
 * the document describes for its operation, or the call throws saying what differs.
 */
export function apiAs(baseUrl: string, who: { tenantId: string; userId?: string; roles: Role[]; name?: string }, answers?: AnswerCheck) {
  const userId = who.userId ?? randomUUID();
  const headers = authHeader({ tenantId: who.tenantId, userId, roles: who.roles, name: who.name });
  const call = async <T = CheckedJson>(method: string, path: string, body?: unknown, extra: RequestInit = {}): Promise<ApiResult<T>> => {
    const init: RequestInit = {
      method,
      headers: { ...headers, ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
      ...extra,
    };
    if (body !== undefined) init.body = body instanceof FormData ? body : JSON.stringify(body);
    const url = `${baseUrl}${path}`;
    const res = await fetch(url, init);
    const text = await res.text();
    const result = { status: res.status, body: text ? JSON.parse(text) : null, contentType: res.headers.get('content-type') };
    answers?.check(method, new URL(url).pathname, result.status, result.contentType, result.body);
    return result;
  };
  return {
    userId,
    tenantId: who.tenantId,
    auth: headers.authorization,
    get: <T = CheckedJson>(path: string) => call<T>('GET', path),
    post: <T = CheckedJson>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
    put: <T = CheckedJson>(path: string, body?: unknown) => call<T>('PUT', path, body ?? {}),
    patch: <T = CheckedJson>(path: string, body?: unknown) => call<T>('PATCH', path, body ?? {}),
    delete: <T = CheckedJson>(path: string) => call<T>('DELETE', path),
    upload: <T = CheckedJson>(path: string, form: FormData) => call<T>('POST', path, form),
  };
}

export type Api = ReturnType<typeof apiAs>;
