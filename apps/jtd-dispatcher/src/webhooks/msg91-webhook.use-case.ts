import { Injectable, Logger } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { Msg91ReportResultView } from '@app/shared/api/jtd/msg91-webhook.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { JOB_COLUMNS, JobRow } from '../jobs/job-row';
import { JobStatusService } from '../jobs/job-status.service';
import { JtdMetrics } from '../metrics/jtd-metrics';
import { ProviderRegistry } from '../providers/provider-registry';
import { TenantConfigRepository } from '../settings/tenant-config.repository';

/** Order of delivery states: a report never moves a job backwards (replays and out-of-order reports are harmless). */
const RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, failed: 2, bounced: 2 };

/**
 * MSG91 delivery reports. MSG91 does not sign webhooks, so the URL carries the tenant and its secret
 * (`?tenant=…&token=…`), compared in constant time. Unknown request ids are accepted (202) and logged;
 * an item that is not a report at all refuses the body (400 naming it) instead of failing half-way.
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
    const secret = await this.tenants.webhookSecret(tenantId);
    if (!secret || !safeEqual(secret, token)) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'webhook token is not valid');
    const adapter = this.providers.adapter(channel)!;
    const { reports, ignored, malformed } = adapter.parseWebhook(payload);
    // Refused before anything is applied, naming every bad item: the 400 then means "nothing happened".
    if (Object.keys(malformed).length > 0) throw DomainError.validation(malformed, 'the body holds items that are not delivery reports');
    let applied = 0;
    let unknown = 0;
    for (const r of reports) {
      const digest = createHash('sha256').update(`${channel}|${r.providerMessageId}|${r.status}|${r.providerCode ?? ''}`).digest('hex');
      const outcome = await this.dataSource.transaction(async (tx) => {
        const job: JobRow | undefined = (await tx.query(
          `SELECT ${JOB_COLUMNS} FROM jobs WHERE tenant_id = $1 AND channel_code = $2 AND provider_message_id = $3 FOR UPDATE`,
          [tenantId, channel, r.providerMessageId],
        ))[0];
        if (!job) return 'unknown';
        const fresh = await tx.query(`INSERT INTO webhook_receipts (tenant_id, channel_code, digest, jtd_id) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING digest`, [tenantId, channel, digest, job.id]);
        if (fresh.length === 0) return 'replay';
        if ((RANK[job.statusCode] ?? 0) >= RANK[r.status] || job.statusCode === r.status) return 'stale';
        if (!['sent', 'delivered'].includes(job.statusCode)) return 'stale';
        const failure = r.status === 'failed' || r.status === 'bounced';
        await this.status.move(tx, job, r.status, SYSTEM_ACTORS.webhook, {
          ctx: { ...ctx, actor: SYSTEM_ACTORS.webhook },
          note: r.reason ?? null,
          details: { providerCode: r.providerCode ?? null },
          set: failure ? { last_error: r.reason ?? r.providerCode ?? 'delivery failed', error_code: r.providerCode ?? r.status.toUpperCase(), next_attempt_at: null } : { completed_at: new Date() },
        });
        return 'applied';
      });
      if (outcome === 'unknown') {
        unknown++;
        this.logger.warn(`${channel} delivery report for unknown request id ${r.providerMessageId}`);
      }
      if (outcome === 'applied') {
        applied++;
        this.metrics.deliveryReports.inc({ channel, status: r.status });
      }
    }
    return { received: reports.length + ignored, applied, unknown, ignored };
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
