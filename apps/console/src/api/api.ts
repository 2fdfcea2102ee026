import { createContractNestClient, type Schema } from '../../../../libs/client/src/client';
import { session } from '../auth/session';

/** The typed client of the gateway this page came from (the same origin: the CSP allows no other). */
export const api = createContractNestClient({ baseUrl: `${window.location.origin}/v1`, token: () => session.token() ?? '' });

export type Problem = Schema<'Problem'>;

/** An answer that is not a success, with the problem+json the gateway sent. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> | undefined,
  ) {
    super(problem?.detail ?? `the gateway answered ${status}`);
  }

  get code(): string | undefined {
    return this.problem?.code;
  }
}

let onUnauthenticated: (error: ApiError) => void = () => undefined;
/** What to do when the gateway refuses the token (expired, revoked): the app signs out. */
export function whenUnauthenticated(handler: (error: ApiError) => void): void {
  onUnauthenticated = handler;
}

/** The data of a typed call, or an ApiError with its problem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const problem = error && typeof error === 'object' ? (error as Partial<Problem>) : undefined;
  const failure = new ApiError(response.status, problem);
  if (response.status === 401) onUnauthenticated(failure);
  throw failure;
}

/** A line for the person: the problem's detail, or what went wrong on the way. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.problem?.detail ? `${error.problem.detail}` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
