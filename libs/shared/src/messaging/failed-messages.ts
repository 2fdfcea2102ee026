import { Logger } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { OrderWait } from './aggregate-order';
import { Envelope } from './envelope';
import { RejectReason } from './envelope-validation';
import { MessagingMetrics } from './messaging.metrics';
import { deadLetterQueue, HEADERS, retryQueue } from './topology';

export interface FailedMessagesDeps {
  /** The consumer's confirm channel (re-created by amqp-connection-manager after a reconnect). */
  channel: () => ChannelWrapper;
  metrics: MessagingMetrics;
  namespace: string;
  service: string;
  /** The service queue, recorded on dead letters. */
  queue: string;
  retryDelays: number[];
}

/**
 * Where a message goes when it is not simply acknowledged: a failing handler's message to the next retry
 * stage (with its attempt count and last error), then to the dead-letter queue; a message that cannot be
 * handled at all to the dead-letter queue at once; an event ahead of its aggregate's order back through the
 * first stage. Each is a confirmed republish; the consumer acknowledges the original only after it.
 */
export class FailedMessages {
  private readonly logger = new Logger('EventConsumer');

  constructor(private readonly deps: FailedMessagesDeps) {}

  async retryOrDeadLetter(msg: ConsumeMessage, env: Envelope, err: unknown): Promise<void> {
    const { metrics, retryDelays } = this.deps;
    const attempts = numberHeader(msg, HEADERS.attempts) + 1;
    const error = errorText(err);
    metrics.handlerErrors.inc({ type: env.type });
    if (attempts <= retryDelays.length) {
      const delay = retryDelays[attempts - 1];
      this.logger.warn(`${env.type} ${env.id} failed (attempt ${attempts}), retrying in ${delay} ms: ${error}`);
      await this.republish(msg, retryQueue(this.deps.namespace, this.deps.service, delay), { [HEADERS.attempts]: attempts, [HEADERS.lastError]: error });
      metrics.retries.inc({ type: env.type, delay_ms: String(delay) });
      metrics.consumed.inc({ type: env.type, outcome: 'retried' });
      return;
    }
    this.logger.error(`${env.type} ${env.id} failed ${attempts} times, dead-lettered: ${error}`);
    await this.deadLetter(msg, 'handler_failed', error, env.type, attempts);
  }

  async deadLetter(
    msg: ConsumeMessage,
    reason: RejectReason | 'handler_failed',
    error: string,
    type = 'unknown',
    attempts = numberHeader(msg, HEADERS.attempts),
  ): Promise<void> {
    await this.republish(msg, deadLetterQueue(this.deps.namespace, this.deps.service), {
      [HEADERS.reason]: reason,
      [HEADERS.lastError]: error,
      [HEADERS.attempts]: attempts,
      [HEADERS.deadLetterId]: randomUUID(),
      [HEADERS.originalQueue]: this.deps.queue,
      [HEADERS.failedAt]: new Date().toISOString(),
    });
    this.deps.metrics.deadLetters.inc({ type, reason });
    this.deps.metrics.consumed.inc({ type, outcome: 'dead_lettered' });
  }

  /** An event ahead of its aggregate's order waits one first-stage delay for the versions before it. */
  async deferForOrder(msg: ConsumeMessage, wait: OrderWait): Promise<void> {
    await this.republish(msg, retryQueue(this.deps.namespace, this.deps.service, this.deps.retryDelays[0]), {
      [HEADERS.deferrals]: wait.deferrals,
      [HEADERS.deferredBehind]: wait.behind,
    });
  }

  /** Same body and properties, extra headers, to a queue through the default exchange; waits for the confirm. */
  private async republish(msg: ConsumeMessage, queue: string, headers: Record<string, unknown>): Promise<void> {
    const p = msg.properties;
    await this.deps.channel().publish('', queue, msg.content, {
      persistent: true,
      mandatory: true,
      contentType: p.contentType ?? 'application/json',
      contentEncoding: p.contentEncoding,
      messageId: p.messageId,
      correlationId: p.correlationId,
      type: p.type,
      timestamp: p.timestamp,
      appId: p.appId,
      headers: { ...stripDeath(p.headers), ...headers },
    });
  }
}

/** The wait an ordered event came back with (what `deferForOrder` wrote); none for a first delivery. */
export function orderWaitOf(msg: ConsumeMessage): OrderWait {
  return { deferrals: numberHeader(msg, HEADERS.deferrals), behind: numberHeader(msg, HEADERS.deferredBehind) };
}

function numberHeader(msg: ConsumeMessage, name: string): number {
  const v = Number(msg.properties.headers?.[name] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

/** `x-death` grows with every pass through a retry queue; our own headers carry what matters. */
function stripDeath(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const { 'x-death': _d, 'x-first-death-exchange': _e, 'x-first-death-queue': _q, 'x-first-death-reason': _r, ...rest } = headers ?? {};
  return rest;
}

function errorText(err: unknown): string {
  const e = err as Error;
  const text = e?.stack ?? e?.message ?? String(err);
  return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
}
