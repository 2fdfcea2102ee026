import { StatusDefinition, StatusMachine, TransitionDefinition } from '@app/shared/status-machine/status-machine';
import { EventTypeSettings, TaskGate } from './default-flows';

/** A tenant's effective flow for one event type: the strict machine plus the settings that go with it. */
export class EventFlow {
  constructor(
    readonly eventType: string,
    readonly machine: StatusMachine,
    readonly settings: EventTypeSettings,
    readonly isTenantOverride: boolean,
  ) {}

  get initial(): StatusDefinition {
    return this.machine.initial;
  }

  status(code: string): StatusDefinition | undefined {
    return this.machine.status(code);
  }

  bucketOf(code: string): string | null {
    return this.machine.status(code)?.category ?? null;
  }

  /** Status codes in a cockpit bucket. */
  codesIn(bucket: string): string[] {
    return this.machine.flow.statuses.filter((s) => s.category === bucket).map((s) => s.code);
  }

  transition(from: string, to: string): TransitionDefinition | undefined {
    return this.machine.flow.transitions.find((t) => t.from === from && t.to === to);
  }

  /** Statuses from which the flow lets the system move into `to`. */
  sourcesOf(to: string): string[] {
    return this.machine.flow.transitions.filter((t) => t.to === to).map((t) => t.from);
  }

  isTaskGated(from: string, to: string): boolean {
    return this.settings.taskGatedTransitions.some((g: TaskGate) => g.from === from && g.to === to);
  }

  /** A terminal status in the cancelled bucket (`cancelled` in the defaults), for contract cancellation. */
  cancelledStatus(): string | null {
    const s =
      this.machine.flow.statuses.find((x) => x.isTerminal && x.category === 'cancelled' && x.code === 'cancelled') ??
      this.machine.flow.statuses.find((x) => x.isTerminal && x.category === 'cancelled');
    return s?.code ?? null;
  }

  /**
   * The shortest chain of configured moves from `from` to `to` that needs no reason from a person (the
   * ticket sync walks it: a ticket in progress moves a scheduled visit through the flow's own steps).
   */
  pathTo(from: string, to: string, maxSteps = 8): string[] | null {
    if (from === to) return [];
    const prev = new Map<string, string>([[from, '']]);
    let frontier = [from];
    for (let depth = 0; depth < maxSteps && frontier.length; depth++) {
      const next: string[] = [];
      for (const s of frontier) {
        for (const t of this.machine.flow.transitions) {
          if (t.from !== s || t.requiresReason || prev.has(t.to)) continue;
          prev.set(t.to, s);
          if (t.to === to) {
            const path = [to];
            for (let c = s; c !== from; c = prev.get(c)!) path.unshift(c);
            return path;
          }
          next.push(t.to);
        }
      }
      frontier = next;
    }
    return null;
  }
}
