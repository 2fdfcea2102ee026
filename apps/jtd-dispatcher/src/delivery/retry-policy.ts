/**
 * Delay before the next automatic attempt: exponential from the event type's `retry_delay_seconds`
 * (base · 2^(attempt-1)), with ±20 % jitter so failures of one batch do not come back in lockstep, capped at
 * six hours. A provider's Retry-After wins when it asks for longer.
 */
export function retryDelayMs(attempt: number, baseSeconds: number, retryAfterMs: number | null | undefined, random: () => number = Math.random): number {
  const base = Math.max(1, baseSeconds) * 1000;
  const exp = Math.min(base * 2 ** Math.max(0, attempt - 1), 6 * 3600 * 1000);
  const jitter = exp * 0.2 * (random() * 2 - 1);
  const delay = Math.round(exp + jitter);
  return retryAfterMs && retryAfterMs > delay ? retryAfterMs : delay;
}
