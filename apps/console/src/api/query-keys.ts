import type { QueryKey } from '@tanstack/react-query';
import type { LiveMessage } from '../live/live-stream';

/**
 * Every query of the console under a key whose first element names the kind of object, so that a live
 * message can invalidate an object (`['event', id]`, and what hangs below it: its audit, its moves) and the
 * lists that may show it (`['events']`, `['cockpit']`) by prefix.
 */
export const keys = {
  cockpit: (range: { from: string; to: string }) => ['cockpit', range] as const,
  contracts: (filter: { q?: string; status?: string }) => ['contracts', filter] as const,
  contract: (id: string) => ['contract', id] as const,
  events: (filter: { contractId?: string }) => ['events', filter] as const,
  event: (id: string) => ['event', id] as const,
  eventAudit: (id: string) => ['event', id, 'audit'] as const,
  eventTransitions: (id: string) => ['event', id, 'transitions'] as const,
  eventEvidence: (id: string, contractId: string) => ['event', id, 'evidence', contractId] as const,
  flow: (eventType: string) => ['settings', 'event-statuses', eventType] as const,
  jtdSettings: () => ['settings', 'jtd'] as const,
  tickets: (filter: { status?: string; contractId?: string }) => ['tickets', filter] as const,
  ticket: (id: string) => ['ticket', id] as const,
  appointments: (filter: { from?: string; to?: string; ticketId?: string }) => ['appointments', filter] as const,
  jobs: (filter: { status?: string; channel?: string }) => ['jobs', filter] as const,
  job: (id: string) => ['job', id] as const,
  jobHistory: (id: string) => ['job', id, 'history'] as const,
  sandbox: () => ['sandbox'] as const,
  deadLetters: () => ['dead-letters'] as const,
  inbox: () => ['inbox'] as const,
};

/** What a change of one object may make stale: the object, what hangs below it, and the lists and summaries that show it. */
export function keysToRefresh(message: LiveMessage): QueryKey[] {
  const { topic, id } = message;
  switch (topic) {
    case 'event':
      // The contract's counts and a ticket's list of events show an event's status too.
      return [['event', id], ['events'], ['cockpit'], ['contract'], ['ticket']];
    case 'contract':
      return [['contract', id], ['contracts'], ['cockpit'], ['events']];
    case 'ticket':
      return [['ticket', id], ['tickets'], ['event']];
    case 'appointment':
      return [['appointment', id], ['appointments'], ['ticket']];
    case 'job':
      return [['job', id], ['jobs'], ['sandbox']];
    case 'inbox':
      return [['inbox']];
    default:
      // A topic this console does not know yet: the object and a list named after it.
      return [[topic, id], [`${topic}s`]];
  }
}
