import { Injectable, Logger } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { MSG91_WEBHOOK_MAX_REPORTS, Msg91ReportResultView } from '@app/shared/api/jtd/msg91-webhook.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { JOB_COLUMNS, JobRow } from '../jobs/job-row';
import { BulkMove, JobStatusService } from '../jobs/job-status.service';
import { JtdMetrics } from '../metrics/jtd-metrics';
import { WebhookReport } from '../providers/delivery-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { TenantConfigRepository, webhookSecretHash } from '../settings/tenant-config.repository';

/** Order of delivery states: a report never moves a job backwards (replays and out-of-order reports are harmless). */
const RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, failed: 2, bounced: 2 };

/** At most this many unknown request ids are named in the summary line. */
const UNKNOWN_IDS_LOGGED = 20;

interface Tally {
  applied: number;
  unknown: number;
  replayed: number;
  stale: number;
  unknownIds: string[];
  /** The status of every applied report, counted in the metrics once committed. */
  appliedStatuses: string[];
}

/**
 * MSG91 delivery reports. MSG91 does not sign webhooks, so the URL carries the tenant and its secret
 * (`?tenant=…&token=…`), whose hash is compared in constant time. Unknown request ids are accepted (202) and
 * counted; an item that is not a report at all refuses the body (400 naming it) instead of failing half-way;
 * more than MSG91_WEBHOOK_MAX_REPORTS items is 413. A body is applied in one transaction and logged in one line.
 */
@Injectable()
export class Msg91WebhookUseCase {
  private readonly logger = new Logger('Msg91Webhook');

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantConfigRepository,
    private readonly providers: ProviderRegistry,
    private readonly status: JobStatusService,
    private readonly metrics: JtdMetrics,
  ) {}

  async execute(ctx: RequestContext, channel: string, tenantId: string, token: string, payload: unknown): Promise<Msg91ReportResultView> {
    const started = Date.now();
    const stored = await this.tenants.webhookSecretHash(tenantId);
    // Both sides are SHA-256 digests: same length, so the comparison takes the same time whatever the token.
    if (!stored || !timingSafeEqual(stored, webhookSecretHash(token))) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'webhook token is not valid');
    const { reports, ignored, malformed } = this.providers.adapter(channel)!.parseWebhook(payload);
    const items = reports.length + ignored + Object.keys(malformed).length;
    if (items > MSG91_WEBHOOK_MAX_REPORTS) {
      throw new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, `at most ${MSG91_WEBHOOK_MAX_REPORTS} reports per request; this one holds ${items}`, {
        maxReports: MSG91_WEBHOOK_MAX_REPORTS,
        received: items,
      });
    }
    // Refused before anything is applied, naming every bad item: the 400 then means "nothing happened".
    if (Object.keys(malformed).length > 0) throw DomainError.validation(malformed, 'the body holds items that are not delivery reports');
    const tally = await this.dataSource.transaction((tx) => this.apply(tx, ctx, channel, tenantId, reports));
    for (const status of tally.appliedStatuses) this.metrics.deliveryReports.inc({ channel, status });
    const line = `${channel} delivery reports: ${reports.length + ignored} received, ${tally.applied} applied, ${tally.unknown} unknown, ` +
      `${ignored} ignored, ${tally.replayed} replayed, ${tally.stale} stale in ${Date.now() - started} ms` +
      (tally.unknownIds.length ? `; unknown request ids ${tally.unknownIds.join(', ')}${tally.unknown > tally.unknownIds.length ? ', …' : ''}` : '');
    if (tally.unknown > 0) this.logger.warn(line);
    else this.logger.log(line);
    return { received: reports.length + ignored, applied: tally.applied, unknown: tally.unknown, ignored };
  }

  /** Every report of the body: the jobs locked once (in id order), receipts in one statement, moves in rounds. */
  private async apply(tx: EntityManager, ctx: RequestContext, channel: string, tenantId: string, reports: WebhookReport[]): Promise<Tally> {
    const tally: Tally = { applied: 0, unknown: 0, replayed: 0, stale: 0, unknownIds: [], appliedStatuses: [] };
    if (reports.length === 0) return tally;
    const ids = [...new Set(reports.map((r) => r.providerMessageId))];
    const rows: JobRow[] = await tx.query(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE tenant_id = $1 AND channel_code = $2 AND provider_message_id = ANY($3::text[]) ORDER BY id FOR UPDATE`,
      [tenantId, channel, ids],
    );
    const jobs = new Map<string, JobRow>();
    for (const j of rows) if (!jobs.has(j.providerMessageId!)) jobs.set(j.providerMessageId!, j);

    const known = reports.map((r) => ({ r, job: jobs.get(r.providerMessageId), digest: digestOf(channel, r) }));
    for (const k of known.filter((x) => !x.job)) {
      tally.unknown++;
      if (tally.unknownIds.length < UNKNOWN_IDS_LOGGED && !tally.unknownIds.includes(k.r.providerMessageId)) tally.unknownIds.push(k.r.providerMessageId);
    }
    const withJob = known.filter((x) => x.job);
    const fresh = new Set<string>(
      withJob.length === 0
        ? []
        : (
            await tx.query(
              `INSERT INTO webhook_receipts (tenant_id, channel_code, digest, jtd_id)
               SELECT $1, $2, d, j FROM unnest($3::text[], $4::uuid[]) AS u(d, j) ON CONFLICT DO NOTHING RETURNING digest`,
              [tenantId, channel, withJob.map((x) => x.digest), withJob.map((x) => x.job!.id)],
            )
          ).map((row: { digest: string }) => row.digest),
    );

    // Each job's steps in the order of the body, checked against the status it will have reached by then.
    const steps = new Map<string, Array<{ r: WebhookReport }>>();
    const reached = new Map<string, string>();
    for (const { r, job, digest } of withJob) {
      if (!fresh.delete(digest)) {
        tally.replayed++;
        continue;
      }
      const current = reached.get(job!.id) ?? job!.statusCode;
      if ((RANK[current] ?? 0) >= RANK[r.status] || current === r.status || !['sent', 'delivered'].includes(current)) {
        tally.stale++;
        continue;
      }
      reached.set(job!.id, r.status);
      steps.set(job!.id, [...(steps.get(job!.id) ?? []), { r }]);
    }

    // moveMany takes one move per job: a job reported delivered then read in the same body moves in two rounds.
    const current = new Map(rows.map((j) => [j.id, j]));
    const webhookCtx = { ...ctx, actor: SYSTEM_ACTORS.webhook };
    for (let round = 0; ; round++) {
      const moves: BulkMove[] = [];
      for (const [jobId, list] of steps) {
        const step = list[round];
        if (!step) continue;
        const { r } = step;
        const failure = r.status === 'failed' || r.status === 'bounced';
        moves.push({
          job: current.get(jobId)!,
          path: [r.status],
          performer: SYSTEM_ACTORS.webhook,
          opts: {
            ctx: webhookCtx,
            note: r.reason ?? null,
            details: { providerCode: r.providerCode ?? null },
            set: failure
              ? { last_error: r.reason ?? r.providerCode ?? 'delivery failed', error_code: r.providerCode ?? r.status.toUpperCase(), next_attempt_at: null }
              : { completed_at: new Date() },
          },
        });
      }
      if (moves.length === 0) break;
      for (const moved of await this.status.moveMany(tx, moves)) current.set(moved.id, moved);
      tally.appliedStatuses.push(...moves.map((m) => m.path[0]));
      tally.applied += moves.length;
    }
    return tally;
  }
}

function digestOf(channel: string, r: WebhookReport): string {
  return createHash('sha256').update(`${channel}|${r.providerMessageId}|${r.status}|${r.providerCode ?? ''}`).digest('hex');
}
