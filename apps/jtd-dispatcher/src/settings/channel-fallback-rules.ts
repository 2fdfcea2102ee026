import { JTD_CHANNELS } from '@app/shared/catalog/jtd.catalog';
import type { FieldErrors } from '@app/shared/errors/domain-error';

export interface FallbackRoute {
  from: string;
  to: string;
}

/**
 * What is wrong with a tenant's fallback routes, by field (`routes.1.to`): two routes from one channel, a
 * channel falling back to itself, a channel the tenant has not enabled, a cycle (followed from each route).
 */
export function fallbackProblems(routes: readonly FallbackRoute[], enabled: Readonly<Record<string, boolean>>): FieldErrors {
  const problems: FieldErrors = {};
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);
  const next = new Map<string, string>();
  routes.forEach((r, i) => {
    if (next.has(r.from)) add(`routes.${i}.from`, `${r.from} already falls back to ${next.get(r.from)}: one route per channel`);
    else next.set(r.from, r.to);
    if (r.from === r.to) add(`routes.${i}.to`, `${r.from} cannot fall back to itself`);
    for (const side of ['from', 'to'] as const) if (!enabled[r[side]]) add(`routes.${i}.${side}`, `channel ${r[side]} is not enabled for this tenant`);
  });
  if (Object.keys(problems).length) return problems;
  routes.forEach((r, i) => {
    const path = [r.from];
    for (let c: string | undefined = r.to; c !== undefined; c = next.get(c)) {
      path.push(c);
      if (c === r.from) return add(`routes.${i}.to`, `${path.join(' → ')} is a cycle`);
      if (path.length > next.size + 1) break;
    }
  });
  return problems;
}

/** Routes as stored (`{ from: to }`). */
export function fallbackMap(routes: readonly FallbackRoute[]): Record<string, string> {
  return Object.fromEntries(routes.map((r) => [r.from, r.to]));
}

/** Stored routes as a list, in the channels' order. */
export function fallbackRoutes(map: Readonly<Record<string, string>>): FallbackRoute[] {
  const order = (c: string) => (JTD_CHANNELS as readonly string[]).indexOf(c);
  return Object.entries(map ?? {})
    .map(([from, to]) => ({ from, to }))
    .sort((a, b) => order(a.from) - order(b.from));
}
