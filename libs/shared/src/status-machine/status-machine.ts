import { DomainError, ErrorCode } from '../errors/domain-error';

/**
 * One engine for every status flow (contract events, tickets, appointments, JTDs): the definitions are
 * data; whether an invalid move is refused (`strict`) or allowed and flagged (`soft`) is a property of the
 * machine.
 */
export interface StatusDefinition {
  code: string;
  label: string;
  color?: string | null;
  icon?: string | null;
  order: number;
  isInitial: boolean;
  isTerminal: boolean;
  /** Bucket for dashboards and rules, e.g. upcoming | due | overdue | in_progress | done | cancelled. */
  category?: string | null;
}

export interface TransitionDefinition {
  from: string;
  to: string;
  requiresReason: boolean;
  requiresEvidence: boolean;
  /** A transition the system takes by itself (JTD flows); people may take it too. */
  isAutomatic?: boolean;
}

export interface StatusFlow {
  statuses: StatusDefinition[];
  transitions: TransitionDefinition[];
}

export type Enforcement = 'strict' | 'soft';

export interface MoveRequest {
  from: string;
  to: string;
  reason?: string | null;
  evidenceIds?: string[] | null;
}

export interface MoveVerdict {
  /** Whether the flow defines this move (always true for an allowed strict move). */
  isValidTransition: boolean;
  transition?: TransitionDefinition;
}

export class StatusMachine {
  private readonly byCode: Map<string, StatusDefinition>;

  constructor(
    readonly flow: StatusFlow,
    readonly enforcement: Enforcement,
  ) {
    this.byCode = new Map(flow.statuses.map((s) => [s.code, s]));
  }

  get initial(): StatusDefinition {
    const initial = this.flow.statuses.find((s) => s.isInitial);
    if (!initial) throw new Error('a status flow needs an initial status');
    return initial;
  }

  status(code: string): StatusDefinition | undefined {
    return this.byCode.get(code);
  }

  /** The moves defined from a status, ordered by the target's display order. */
  allowedFrom(from: string): Array<TransitionDefinition & { toStatus: StatusDefinition }> {
    return this.flow.transitions
      .filter((t) => t.from === from && this.byCode.has(t.to))
      .map((t) => ({ ...t, toStatus: this.byCode.get(t.to)! }))
      .sort((a, b) => a.toStatus.order - b.toStatus.order);
  }

  /**
   * Checks one move. Strict machines throw TRANSITION_NOT_ALLOWED / REASON_REQUIRED / EVIDENCE_REQUIRED;
   * soft machines return `isValidTransition: false` for a move the flow does not define.
   */
  check(move: MoveRequest): MoveVerdict {
    if (!this.byCode.has(move.to)) {
      throw new DomainError(ErrorCode.TRANSITION_NOT_ALLOWED, `status ${move.to} does not exist in this flow`, { from: move.from, to: move.to });
    }
    const transition = this.flow.transitions.find((t) => t.from === move.from && t.to === move.to);
    if (!transition) {
      if (this.enforcement === 'soft') return { isValidTransition: false };
      throw new DomainError(ErrorCode.TRANSITION_NOT_ALLOWED, `moving from ${move.from} to ${move.to} is not allowed`, {
        from: move.from,
        to: move.to,
        allowed: this.allowedFrom(move.from).map((t) => t.to),
      });
    }
    if (transition.requiresReason && !move.reason?.trim()) {
      throw new DomainError(ErrorCode.REASON_REQUIRED, `moving from ${move.from} to ${move.to} needs a reason`, { from: move.from, to: move.to });
    }
    if (transition.requiresEvidence && !(move.evidenceIds && move.evidenceIds.length > 0)) {
      throw new DomainError(ErrorCode.EVIDENCE_REQUIRED, `moving from ${move.from} to ${move.to} needs evidence`, { from: move.from, to: move.to });
    }
    return { isValidTransition: true, transition };
  }
}

/**
 * Validates a flow a tenant wants to save: codes unique, exactly one initial status, every transition names
 * existing statuses and goes somewhere else. Errors are VALIDATION_FAILED with the offending field.
 */
export function assertValidFlow(flow: StatusFlow): void {
  const errors: Record<string, string[]> = {};
  const add = (path: string, msg: string) => (errors[path] ??= []).push(msg);
  const codes = new Set<string>();
  flow.statuses.forEach((s, i) => {
    if (codes.has(s.code)) add(`statuses.${i}.code`, `status ${s.code} is defined twice`);
    codes.add(s.code);
  });
  const initials = flow.statuses.filter((s) => s.isInitial);
  if (initials.length !== 1) add('statuses', `exactly one initial status is required, found ${initials.length}`);
  const pairs = new Set<string>();
  flow.transitions.forEach((t, i) => {
    if (!codes.has(t.from)) add(`transitions.${i}.from`, `status ${t.from} does not exist`);
    if (!codes.has(t.to)) add(`transitions.${i}.to`, `status ${t.to} does not exist`);
    if (t.from === t.to) add(`transitions.${i}`, 'a transition must change the status');
    const key = `${t.from}->${t.to}`;
    if (pairs.has(key)) add(`transitions.${i}`, `transition ${key} is defined twice`);
    pairs.add(key);
  });
  if (Object.keys(errors).length > 0) throw DomainError.validation(errors, 'the status flow is not valid');
}

/** Seconds spent in the previous status, for history rows. */
export function secondsSince(since: Date | string | null | undefined, now: Date): number | null {
  return since ? Math.max(0, Math.round((now.getTime() - new Date(since).getTime()) / 1000)) : null;
}
