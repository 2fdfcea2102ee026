import { Injectable, Logger } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { MSG91_WEBHOOK_MAX_REPORTS, Msg91ReportResultView, ReceiveMsg91ReportDto } from '@app/shared/api/jtd/msg91-webhook.dto';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { afterCommit } from '@app/shared/db/after-commit';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { JobStatusMover } from '../../jobs/job-status-mover';
import { JobRow } from '../../jobs/job-row';
import { JobRepository } from '../../jobs/job.repository';
import { JtdMetrics } from '../../metrics/jtd-metrics';
import { WebhookReport } from '../../providers/delivery-adapter';
import { ProviderRegistry } from '../../providers/provider-registry';
import { TenantConfigRepository, webhookSecretHash } from '../../settings/tenant-config.repository';
import { MatchedReport, planReports, reportDigest } from '../delivery-reports';
import { WebhookReceiptRepository } from '../webhook-receipt.repository';

/** At most this many unknown request ids are named in the summary line. */
const UNKNOWN_IDS_LOGGED = 20;

interface Tally {
  applied: number;
  unknown: number;
  replayed: number;
  stale: number;
  unknownIds: string[];
}

/**
 * MSG91 delivery reports. MSG91 does not sign webhooks, so the URL carries the tenant and its secret
 * (`?tenant=…&token=…`), whose hash is compared in constant time. Unknown request ids are accepted (202) and
 * counted; an item that is not a report at all refuses the body (400 naming it) instead of failing half-way;
 * more than MSG91_WEBHOOK_MAX_REPORTS items is 413. A body is applied in one transaction and logged in one line.
 */
@Injectable()
export class ReceiveMsg91ReportUseCase {
  private readonly logger = new Logger('Msg91Webhook');

  constructor(
    private readonly db: Transactions,
    private readonly tenants: TenantConfigRepository,
    private readonly providers: ProviderRegistry,
    private readonly jobs: JobRepository,
    private readonly receipts: WebhookReceiptRepository,
    private readonly mover: JobStatusMover,
    private readonly metrics: JtdMetrics,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: ReceiveMsg91ReportDto): Promise<Msg91ReportResultView> {
    const { channel, tenant: tenantId, token } = input;
    const started = Date.now();
    const stored = await this.tenants.webhookSecretHash(this.db.reader, tenantId);
    // Both sides are SHA-256 digests: same length, so the comparison takes the same time whatever the token.
    if (!stored || !timingSafeEqual(stored, webhookSecretHash(token))) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'webhook token is not valid');
    const { reports, ignored, malformed } = this.providers.adapter(channel)!.parseWebhook(input.payload);
    const items = reports.length + ignored + Object.keys(malformed).length;
    if (items > MSG91_WEBHOOK_MAX_REPORTS) {
      throw new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, `at most ${MSG91_WEBHOOK_MAX_REPORTS} reports per request; this one holds ${items}`, {
        maxReports: MSG91_WEBHOOK_MAX_REPORTS,
        received: items,
      });
    }
    // Refused before anything is applied, naming every bad item: the 400 then means "nothing happened".
    if (Object.keys(malformed).length > 0) throw DomainError.validation(malformed, 'the body holds items that are not delivery reports');
    const tally = await this.db.run((tx) => this.apply(tx, ctx, channel, tenantId, reports));
    const line =
      `${channel} delivery reports: ${reports.length + ignored} received, ${tally.applied} applied, ${tally.unknown} unknown, ` +
      `${ignored} ignored, ${tally.replayed} replayed, ${tally.stale} stale in ${Date.now() - started} ms` +
      (tally.unknownIds.length ? `; unknown request ids ${tally.unknownIds.join(', ')}${tally.unknown > tally.unknownIds.length ? ', …' : ''}` : '');
    if (tally.unknown > 0) this.logger.warn(line);
    else this.logger.log(line);
    return { received: reports.length + ignored, applied: tally.applied, unknown: tally.unknown, ignored };
  }

  /** Every report of the body: the jobs locked once (in id order), receipts in one statement, moves in rounds. */
  private async apply(tx: Db, ctx: RequestContext, channel: string, tenantId: string, reports: WebhookReport[]): Promise<Tally> {
    const tally: Tally = { applied: 0, unknown: 0, replayed: 0, stale: 0, unknownIds: [] };
    if (reports.length === 0) return tally;
    const rows = await this.jobs.lockByProviderIds(tx, tenantId, channel, [...new Set(reports.map((r) => r.providerMessageId))]);
    const byProviderId = new Map<string, JobRow>();
    for (const j of rows) if (j.providerMessageId && !byProviderId.has(j.providerMessageId)) byProviderId.set(j.providerMessageId, j);

    const matched: MatchedReport[] = [];
    for (const report of reports) {
      const job = byProviderId.get(report.providerMessageId);
      if (job) {
        matched.push({ report, job, digest: reportDigest(channel, report) });
        continue;
      }
      tally.unknown++;
      if (tally.unknownIds.length < UNKNOWN_IDS_LOGGED && !tally.unknownIds.includes(report.providerMessageId)) tally.unknownIds.push(report.providerMessageId);
    }
    const fresh = await this.receipts.recordNew(
      tx,
      tenantId,
      channel,
      matched.map((m) => ({ digest: m.digest, jobId: m.job.id })),
    );
    const plan = planReports(matched, fresh);
    tally.replayed = plan.replayed;
    tally.stale = plan.stale;

    const current = new Map(rows.map((j) => [j.id, j]));
    const webhookCtx = { ...ctx, actor: SYSTEM_ACTORS.webhook };
    const applied: string[] = [];
    for (const round of plan.rounds) {
      const moved = await this.mover.moveMany(
        tx,
        round.map(({ jobId, report: r }) => {
          const failure = r.status === 'failed' || r.status === 'bounced';
          return {
            job: current.get(jobId)!,
            path: [r.status],
            actor: SYSTEM_ACTORS.webhook,
            ctx: webhookCtx,
            reason: r.reason ?? null,
            details: { providerCode: r.providerCode ?? null },
            patch: failure
              ? { lastError: r.reason ?? r.providerCode ?? 'delivery failed', errorCode: r.providerCode ?? r.status.toUpperCase(), nextAttemptAt: null }
              : { completedAt: this.clock.now() },
          };
        }),
      );
      for (const job of moved) current.set(job.id, job);
      applied.push(...round.map((m) => m.report.status));
    }
    tally.applied = applied.length;
    afterCommit(tx, 'jtd.delivery-report-metrics', () => {
      for (const status of applied) this.metrics.deliveryReports.inc({ channel, status });
    });
    return tally;
  }
}
