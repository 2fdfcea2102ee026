import { Injectable } from '@nestjs/common';
import { inSpan, SpanKind } from '@app/shared/observability/tracing';
import { maskSecretValues } from '@app/shared/security/sealed-fields';
import { maskSecrets } from '../providers/delivery-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { SECRET_MASK } from '../templates/message-composer';
import { groupBy } from './delivery-admission';
import { InappDelivery } from './inapp-delivery';
import { PreparedSend, SendResult } from './prepared-send';
import { ProviderFailover } from './provider-failover';

/**
 * Send: outside any transaction, under the `executing` lease. Higher priority first, the same priority in
 * parallel. Per channel: in-app into the inbox (InappDelivery); test mode (`isLive` false) calls no
 * provider and keeps the request the adapter would have made, built from the masked message, secrets of the
 * headers masked; otherwise the channel's providers in order (ProviderFailover: circuit breakers, Retry-After, failover). Whatever a provider echoes back (an error quoting the
 * message) has the job's opened secrets masked before it is kept.
 */
@Injectable()
export class SendStep {
  constructor(
    private readonly providers: ProviderRegistry,
    private readonly inapp: InappDelivery,
    private readonly failover: ProviderFailover,
  ) {}

  async send(sends: readonly PreparedSend[]): Promise<SendResult[]> {
    const results: SendResult[] = [];
    const waves = groupBy(sends, (p) => p.job.priority);
    for (const priority of [...waves.keys()].sort((x, y) => y - x)) {
      await Promise.all(
        waves.get(priority)!.map(async (p) => {
          const started = Date.now();
          let delivered: Omit<SendResult, 'send' | 'latencyMs'>;
          try {
            // The send continues the trace of the work that asked for the job (kept on the job's row).
            const attributes = { 'cn.jtd_id': p.job.id, 'cn.channel': p.job.channelCode, 'cn.live': p.job.isLive };
            delivered = await inSpan(`send ${p.job.channelCode}`, { kind: SpanKind.INTERNAL, parent: p.job.traceParent ?? undefined, attributes }, () =>
              this.deliver(p),
            );
          } catch (err) {
            delivered = { outcome: { kind: 'retryable', code: 'DISPATCH_ERROR', message: (err as Error)?.message ?? String(err) } };
          }
          const attempts = delivered.attempts && maskSecretValues(delivered.attempts, p.secrets, SECRET_MASK);
          results.push({
            ...delivered,
            attempts,
            send: p,
            outcome: maskSecretValues(delivered.outcome, p.secrets, SECRET_MASK),
            latencyMs: Date.now() - started,
          });
        }),
      );
    }
    return results;
  }

  private async deliver(p: PreparedSend): Promise<Pick<SendResult, 'outcome' | 'sandbox' | 'provider' | 'attempts'>> {
    const { job, request } = p;
    if (job.channelCode === 'inapp') return { outcome: await this.inapp.deliver(p) };
    const adapter = this.providers.adapter(job.channelCode);
    if (!adapter) return { outcome: { kind: 'permanent', code: 'NO_ADAPTER', message: `no adapter for ${job.channelCode}` } };
    if (!job.isLive) {
      const built = await adapter.buildRequest({ ...request, rendered: p.shown });
      return {
        outcome: { kind: 'sent', providerMessageId: 'sandbox:pending' },
        sandbox: { provider: adapter.provider, request: { ...built, headers: maskSecrets(built.headers) } },
      };
    }
    return this.failover.send(job.channelCode, request);
  }
}
