import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { BenchContext } from '../lib/context';
import { HttpRequestSpec } from '../lib/http-client';
import { runHttpLoad } from '../lib/http-load';
import { Measurement, NotAvailable } from '../lib/result';
import { route } from './contracts';

interface Move {
  from: string;
  to: string;
  evidence: boolean;
  automatic?: boolean;
}

type Fields = Record<string, unknown>;
const fieldsOf = (v: unknown): Fields => (v && typeof v === 'object' ? (v as Fields) : {});
const listOf = (v: unknown): Fields[] => (Array.isArray(v) ? v.map(fieldsOf) : []);

/** Reads the tenant's service status flow, tolerating snake_case or camelCase and nested shapes. */
export function parseFlow(config: unknown): { initial?: string; moves: Move[] } {
  const root = fieldsOf(fieldsOf(config).data ?? config);
  const statuses = listOf(root.statuses);
  const initial = statuses.find((s) => s.isInitial ?? s.initial ?? s.is_initial)?.code as string | undefined;
  const moves: Move[] = listOf(root.transitions).map((t) => ({
    from: String(t.from ?? t.fromStatus ?? t.from_status),
    to: String(t.to ?? t.toStatus ?? t.to_status),
    evidence: Boolean(t.requiresEvidence ?? t.requires_evidence),
    // Moves only the system makes (scheduler, payments) are refused to people.
    automatic: Boolean(t.isAutomatic ?? t.is_automatic),
  }));
  return { initial, moves: moves.filter((m) => m.from && m.to && !m.evidence && !m.automatic) };
}

/**
 * A pair of statuses an event can move between forever (a → b → a) without evidence, and the path to
 * reach `a` from the initial status. The default service flow has assigned ⇄ on_hold (reason required:
 * every move carries one).
 */
export function findToggle(initial: string, moves: Move[]): { path: string[]; pair: [string, string] } | undefined {
  const next = (s: string) => moves.filter((m) => m.from === s).map((m) => m.to);
  const prev = new Map<string, string | null>([[initial, null]]);
  const queue = [initial];
  while (queue.length) {
    const s = queue.shift()!;
    for (const t of next(s)) {
      if (next(t).includes(s)) {
        const path: string[] = [];
        for (let at: string | null = s; at && at !== initial; at = prev.get(at) ?? null) path.unshift(at);
        return { path, pair: [s, t] };
      }
      if (!prev.has(t)) {
        prev.set(t, s);
        queue.push(t);
      }
    }
  }
  return undefined;
}

/**
 * POST /v1/events/{id}/transitions over 10 connections: each connection owns one event and moves it
 * back and forth between two statuses, sending the version it got from the previous answer. Each
 * request is a status write, an audit row and an outbox row.
 */
export async function transitionScenario(b: BenchContext): Promise<Measurement[]> {
  const seed = b.seed!;
  const gw = b.gateway!;
  const token = seed.adminToken;
  const headers = { authorization: `Bearer ${token}` };
  const config = await route('read the service status flow', () => gw.json('GET', '/v1/settings/event-statuses/service', token));
  const flow = parseFlow(config);
  const first = await route('read an event', () => gw.json<ContractEventView>('GET', `/v1/events/${seed.eventIds[0]}`, token));
  const initial = flow.initial ?? first.status;
  const toggle = findToggle(initial, flow.moves);
  if (!toggle) throw new NotAvailable(`the tenant's service flow has no two statuses to move between (from ${initial})`);

  const n = b.opts.connections;
  if (seed.eventIds.length < n + 1) throw new Error(`need ${n + 1} seeded events, have ${seed.eventIds.length}`);
  // The last events of the seeded contract: reads use all of them, but moving some does not change reads.
  const owned = seed.eventIds.slice(-n);
  const state = await Promise.all(
    owned.map(async (id) => {
      let ev = await gw.json<ContractEventView>('GET', `/v1/events/${id}`, token);
      for (const to of toggle.path) {
        ev = await route('move an event', () =>
          gw.json<ContractEventView>('POST', `/v1/events/${id}/transitions`, token, {
            toStatus: to,
            reason: 'bench: reach the toggle pair',
            version: ev.version,
          }),
        );
      }
      return { id, version: ev.version as number, status: ev.status as string, stale: false };
    }),
  );
  const [a, c] = toggle.pair;
  const m = await runHttpLoad({
    key: 'gateway.transition',
    label: `POST /v1/events/{id}/transitions (${a} ⇄ ${c})`,
    client: gw,
    connections: n,
    warmupMs: b.opts.warmupMs,
    durationMs: b.opts.durationMs,
    next: (conn): HttpRequestSpec => {
      const s = state[conn];
      // After a failed move, re-read the event (counted as an error, not as a transition).
      if (s.stale) return { method: 'GET', path: `/v1/events/${s.id}`, headers };
      return {
        method: 'POST',
        path: `/v1/events/${s.id}/transitions`,
        headers,
        body: { toStatus: s.status === a ? c : a, reason: 'bench: toggle', version: s.version },
      };
    },
    onResponse: (conn, spec, res) => {
      const s = state[conn];
      if (res.status < 200 || res.status >= 300) {
        s.stale = true;
        return false;
      }
      const ev = JSON.parse(res.body);
      s.version = ev.version;
      s.status = ev.status;
      if (spec.method === 'GET') {
        s.stale = false;
        return false;
      }
    },
  });
  m.extra = { ...m.extra, moves: `${a} ⇄ ${c}`, pathFromInitial: toggle.path };
  return [m];
}
