import { assertValidFlow, StatusDefinition, StatusFlow, TransitionDefinition } from './status-machine';

/**
 * The one format of seed status flows (the system defaults a service writes in a migration and copies to
 * each new tenant). Statuses are rows, in display order; transitions are lines of text:
 *
 * ```ts
 * export const TICKET_FLOW = seedFlow({
 *   statuses: [
 *     ['created', 'Created', '#6B7280', 'FilePlus', 'upcoming', 'initial'],
 *     ['in_progress', 'In progress', '#8B5CF6', 'Play', 'in_progress'],
 *     ['completed', 'Completed', '#10B981', 'CheckCircle', 'done', 'terminal'],
 *     ['cancelled', 'Cancelled', '#EF4444', 'XCircle', 'cancelled', 'terminal'],
 *   ],
 *   transitions: [
 *     'created>in_progress',
 *     'in_progress>completed +evidence',
 *     'created|in_progress>cancelled +reason',   // one line per source: created>cancelled, in_progress>cancelled
 *     'scheduled>due +auto',                      // the system takes it by itself (people may too)
 *   ],
 * });
 * ```
 *
 * A transition is `from>to`, where either side may list alternatives separated by `|`, followed by any of
 * the flags `+reason` (a reason is required), `+evidence` (evidence is required), `+auto` (automatic).
 * Several transitions may share one string, separated by commas or new lines. `seedFlow` validates the
 * result (one initial status, known codes, no duplicates), so a typo fails when the module loads.
 */
export type StatusSeed = [code: string, label: string, color: string | null, icon: string | null, category: string | null, flag?: 'initial' | 'terminal'];

export interface FlowSeed {
  statuses: readonly StatusSeed[];
  transitions: string | readonly string[];
}

const FLAGS = { '+reason': 'requiresReason', '+evidence': 'requiresEvidence', '+auto': 'isAutomatic' } as const;
const LINE = /^([a-z0-9_|]+)\s*>\s*([a-z0-9_|]+)((?:\s+\+[a-z]+)*)$/;

export function seedStatuses(rows: readonly StatusSeed[]): StatusDefinition[] {
  return rows.map(([code, label, color, icon, category, flag], i) => ({
    code,
    label,
    color,
    icon,
    order: i + 1,
    isInitial: flag === 'initial',
    isTerminal: flag === 'terminal',
    category,
  }));
}

export function parseTransitions(spec: string | readonly string[]): TransitionDefinition[] {
  const lines = (typeof spec === 'string' ? [spec] : spec)
    .flatMap((s) => s.split(/[,\n]/))
    .map((s) => s.trim())
    .filter(Boolean);
  return lines.flatMap((line) => {
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a transition: "${line}" (expected from>to with optional +reason, +evidence, +auto)`);
    const flags = m[3].trim().split(/\s+/).filter(Boolean);
    const t = { requiresReason: false, requiresEvidence: false, isAutomatic: false };
    for (const flag of flags) {
      const field = FLAGS[flag as keyof typeof FLAGS];
      if (!field) throw new Error(`unknown flag ${flag} in "${line}" (known: ${Object.keys(FLAGS).join(', ')})`);
      t[field] = true;
    }
    return m[1].split('|').flatMap((from) => m[2].split('|').map((to) => ({ from, to, ...t })));
  });
}

/** The flow of a seed, validated. */
export function seedFlow(seed: FlowSeed): StatusFlow {
  const flow = { statuses: seedStatuses(seed.statuses), transitions: parseTransitions(seed.transitions) };
  assertValidFlow(flow);
  return flow;
}

/** A flow's transitions in the seed format, one line each (to read a tenant's flow, or convert an old seed). */
export function formatTransitions(transitions: readonly TransitionDefinition[]): string[] {
  return transitions.map(
    (t) => `${t.from}>${t.to}${t.requiresReason ? ' +reason' : ''}${t.requiresEvidence ? ' +evidence' : ''}${t.isAutomatic ? ' +auto' : ''}`,
  );
}
