import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { messageOf } from '../api/api';

/** The data of a query, or what the person should know instead: loading, or why it failed. */
export function QueryState<T>({ query, children, what }: { query: UseQueryResult<T>; children: (data: T) => ReactNode; what: string }) {
  if (query.isPending)
    return (
      <p className="muted" aria-busy="true">
        Loading {what}…
      </p>
    );
  if (query.isError)
    return (
      <p className="error" role="alert">
        Could not load {what}: {messageOf(query.error)}
      </p>
    );
  return <>{children(query.data)}</>;
}

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {messageOf(error)}
    </p>
  );
}
