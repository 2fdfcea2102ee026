import { humanize } from './format';

/** A status with the colour of its cockpit bucket (upcoming, due, overdue, in progress, done, cancelled). */
export function StatusBadge({ status, label, category }: { status: string; label?: string | null; category?: string | null }) {
  return <span className={`badge cat-${category ?? categoryGuess(status)}`}>{label ?? humanize(status)}</span>;
}

/** For statuses without a flow (tickets, appointments, jobs, evidence): a bucket by the usual names. */
export function categoryGuess(status: string): string {
  if (/^(completed|closed|paid|delivered|sent|read|verified|installed|checked_out|done|replayed)$/.test(status)) return 'done';
  if (/^(cancelled|withdrawn|waived|rejected|declined|expired)$/.test(status)) return 'cancelled';
  if (/^(failed|bounced|overdue|no_show|dead)$/.test(status)) return 'overdue';
  if (/^(due|held|on_hold|payment_pending|pending_review)$/.test(status)) return 'due';
  if (/^(in_progress|executing|queued|en_route|checked_in|dispatched|assigned|ordered|shipped|active)$/.test(status)) return 'in_progress';
  return 'upcoming';
}
