import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { BenchContext } from '../lib/context';
import { measureHttp } from '../lib/autocannon-load';
import { HttpRequestSpec, HttpResponse } from '../lib/http-client';
import { ResponseVerdict } from '../lib/http-load';
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

/** An event moved back and forth, with what the last answer said of it. */
export interface ToggledEvent {
  id: string;
  version: number;
  status: string;
  /** A move failed: re-read before the next one (counted as an error). */
  stale: boolean;
  /** The connection was replaced and its last answer may be lost: re-read (not counted). */
  resync: boolean;
}

/**
 * Reads the tenant's service flow, finds two statuses to move between and brings each of `ids` there
 * through the gateway (the moves from the initial status), so that every one of them can then be toggled.
 */
export async function prepareToggle(b: BenchContext, ids: string[]): Promise<{ pair: [string, string]; path: string[]; events: ToggledEvent[] }> {
  const seed = b.seed!;
  const gw = b.gateway!;
  const token = seed.adminToken;
  const config = await route('read the service status flow', () => gw.json('GET', '/v1/settings/event-statuses/service', token));
  const flow = parseFlow(config);
  const first = await route('read an event', () => gw.json<ContractEventView>('GET', `/v1/events/${seed.eventIds[0]}`, token));
  const initial = flow.initial ?? first.status;
  const toggle = findToggle(initial, flow.moves);
  if (!toggle) throw new NotAvailable(`the tenant's service flow has no two statuses to move between (from ${initial})`);
  const events = await Promise.all(
    ids.map(async (id) => {
      let ev = await gw.json<ContractEventView>('GET', `/v1/events/${id}`, token);
      for (const to of toggle.path) {
        if (ev.status === toggle.pair[0] || ev.status === toggle.pair[1]) break;
        ev = await route('move an event', () =>
          gw.json<ContractEventView>('POST', `/v1/events/${id}/transitions`, token, {
            toStatus: to,
            reason: 'bench: reach the toggle pair',
            version: ev.version,
          }),
        );
      }
      return { id, version: ev.version as number, status: ev.status as string, stale: false, resync: false };
    }),
  );
  return { pair: toggle.pair, path: toggle.path, events };
}

/** The next request for a toggled event: its move to the other status, or a re-read when its version is unknown. */
export function toggleRequest(s: ToggledEvent, pair: [string, string], headers: Record<string, string>): HttpRequestSpec {
  if (s.stale || s.resync) return { method: 'GET', path: `/v1/events/${s.id}`, headers };
  return {
    method: 'POST',
    path: `/v1/events/${s.id}/transitions`,
    headers,
    body: { toStatus: s.status === pair[0] ? pair[1] : pair[0], reason: 'bench: toggle', version: s.version },
  };
}

/** Keeps what an answer says of the event; a failed move makes it stale; a re-read after a reconnect is not counted. */
export function toggleAnswer(s: ToggledEvent, spec: HttpRequestSpec, res: HttpResponse): ResponseVerdict {
  if (res.status < 200 || res.status >= 300) {
    s.stale = true;
    return false;
  }
  const ev = JSON.parse(res.body) as ContractEventView;
  s.version = ev.version;
  s.status = ev.status;
  if (spec.method !== 'GET') return true;
  const verdict: ResponseVerdict = s.resync && !s.stale ? 'skip' : false;
  s.stale = false;
  s.resync = false;
  return verdict;
}

/**
 * POST /v1/events/{id}/transitions over 10 connections: each connection owns one event and moves it
 * back and forth between two statuses, sending the version it got from the previous answer. Each
 * request is a status write, an audit row and an outbox row.
 */
export async function transitionScenario(b: BenchContext): Promise<Measurement[]> {
  const seed = b.seed!;
  const headers = { authorization: `Bearer ${seed.adminToken}` };
  const n = b.opts.connections;
  if (seed.eventIds.length < n + 1) throw new Error(`need ${n + 1} seeded events, have ${seed.eventIds.length}`);
  // The last events of the seeded contract: reads use all of them, but moving some does not change reads.
  const { pair, path, events: state } = await prepareToggle(b, seed.eventIds.slice(-n));
  const [a, c] = pair;
  const ms = await measureHttp(b, {
    key: 'gateway.transition',
    label: `POST /v1/events/{id}/transitions (${a} ⇄ ${c})`,
    client: b.gateway!,
    connections: n,
    warmupMs: b.opts.warmupMs,
    durationMs: b.opts.durationMs,
    next: (conn) => toggleRequest(state[conn], pair, headers),
    onResponse: (conn, spec, res) => toggleAnswer(state[conn], spec, res),
    onReconnect: (conn) => {
      state[conn].resync = true;
    },
  });
  return ms.map((m) => ({ ...m, extra: { ...m.extra, moves: `${a} ⇄ ${c}`, pathFromInitial: path } }));
}
