import { useQueries } from '@tanstack/react-query';
import type { Schema } from '../../../../libs/client/src/client';
import { api, unwrap } from './api';
import { keys } from './query-keys';

export const EVENT_TYPES = ['service', 'spare_part', 'billing'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export type StatusInfo = { label: string; category: string };

/** The tenant's status flows of the three event types: a status's label and cockpit bucket, by type and code. */
export function useStatusInfo(): (type: string, code: string) => StatusInfo | undefined {
  const flows = useQueries({
    queries: EVENT_TYPES.map((eventType) => ({
      queryKey: keys.flow(eventType),
      queryFn: () => fetchFlow(eventType),
      staleTime: 5 * 60_000,
    })),
  });
  return (type, code) => {
    const flow = flows[EVENT_TYPES.indexOf(type as EventType)]?.data;
    const status = flow?.statuses.find((s) => s.code === code);
    return status ? { label: status.label, category: status.category } : undefined;
  };
}

export function fetchFlow(eventType: EventType): Promise<Schema<'EventStatusFlowView'>> {
  return unwrap(api.GET('/settings/event-statuses/{eventType}', { params: { path: { eventType } } }));
}
