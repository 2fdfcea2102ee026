import { ErrorCode } from './domain-error';

const PROBLEM_BASE = 'https://contractnest.dev/problems/';

/** The RFC 9457 `type` of a problem with this code: one URI per code, the same from every app. */
export function problemTypeOf(code: ErrorCode): string {
  return PROBLEM_BASE + code.toLowerCase().replace(/_/g, '-');
}
