import { createHash } from 'node:crypto';
import { WebhookReport } from '../providers/delivery-adapter';

/** Order of delivery states: a report never moves a job backwards (replays and out-of-order reports are harmless). */
const RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, failed: 2, bounced: 2 };

/** A report with the job it is about and its digest (what makes a replay recognisable). */
export interface MatchedReport {
  report: WebhookReport;
  job: { id: string; status: string };
  digest: string;
}

export interface ReportPlan {
  /** Round n holds each job's n-th move, in body order (a job reported delivered then read moves twice). */
  rounds: Array<Array<{ jobId: string; report: WebhookReport }>>;
  replayed: number;
  stale: number;
}

/**
 * Which reports move their job: a digest seen before (`fresh` lacks it) is a replay; a report that would
 * move a job backwards, or sideways, or a job that is not `sent` or `delivered` (by the time the earlier
 * reports of the body moved it), is stale. The rest move their job in the order of the body.
 */
export function planReports(matched: readonly MatchedReport[], fresh: ReadonlySet<string>): ReportPlan {
  const unseen = new Set(fresh);
  const reached = new Map<string, string>();
  const steps = new Map<string, WebhookReport[]>();
  let replayed = 0;
  let stale = 0;
  for (const { report, job, digest } of matched) {
    if (!unseen.delete(digest)) {
      replayed++;
      continue;
    }
    const current = reached.get(job.id) ?? job.status;
    if ((RANK[current] ?? 0) >= RANK[report.status] || current === report.status || !['sent', 'delivered'].includes(current)) {
      stale++;
      continue;
    }
    reached.set(job.id, report.status);
    steps.set(job.id, [...(steps.get(job.id) ?? []), report]);
  }
  const rounds: ReportPlan['rounds'] = [];
  for (const [jobId, reports] of steps) reports.forEach((report, i) => (rounds[i] ??= []).push({ jobId, report }));
  return { rounds, replayed, stale };
}

/** What identifies a report across deliveries of the same body. */
export function reportDigest(channel: string, r: WebhookReport): string {
  return createHash('sha256')
    .update(`${channel}|${r.providerMessageId}|${r.status}|${r.providerCode ?? ''}`)
    .digest('hex');
}
