import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BrokerConnection } from './broker-connection';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { deadLetterQueue, HEADERS } from './topology';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Moves messages from the service's DLQ into its `dead_letters` table (body, headers, reason, last error),
 * where operators list them per tenant and replay them. Keyed by the dead-letter id the consumer stamped, so
 * a redelivered DLQ message is recorded once. If the database is down the message stays in the DLQ.
 */
@Injectable()
export class DeadLetterRecorder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DeadLetterRecorder');
  private channel?: ChannelWrapper;
  private current?: ConfirmChannel;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly broker: BrokerConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = deadLetterQueue(this.broker.namespace, this.options.service);
    this.channel = this.broker.createChannel({
      name: `${this.options.service}.dlq`,
      confirm: true,
      setup: async (ch: ConfirmChannel) => {
        // The consumer declares the queue with its arguments; this only waits for it to exist.
        await ch.assertQueue(queue, { durable: true, arguments: this.broker.queueArguments });
        this.current = ch;
      },
    });
    await this.channel.waitForConnect();
    await this.channel.consume(queue, (msg) => void this.record(msg), { noAck: false, prefetch: 16 });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.channel?.cancelAll().catch(() => undefined);
    await this.channel?.close().catch(() => undefined);
  }

  private async record(msg: ConsumeMessage): Promise<void> {
    const channel = this.current!;
    const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
    const raw = msg.content.toString('utf8');
    let envelope: Record<string, unknown> | null = null;
    try {
      const parsed = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) envelope = parsed;
    } catch {
      // kept as raw text
    }
    const id =
      typeof headers[HEADERS.deadLetterId] === 'string' && UUID.test(headers[HEADERS.deadLetterId] as string)
        ? (headers[HEADERS.deadLetterId] as string)
        : randomUUID();
    const tenantId = typeof envelope?.tenantId === 'string' && UUID.test(envelope.tenantId) ? envelope.tenantId : null;
    try {
      await this.dataSource.query(
        `INSERT INTO dead_letters (id, tenant_id, queue, message_id, type, envelope, raw_body, headers, reason, attempts, last_error, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, COALESCE($12::timestamptz, date_trunc('milliseconds', now())))
         ON CONFLICT (id) DO NOTHING`,
        [
          id,
          tenantId,
          String(headers[HEADERS.originalQueue] ?? deadLetterQueue(this.broker.namespace, this.options.service)),
          msg.properties.messageId ?? (typeof envelope?.id === 'string' ? envelope.id : null),
          msg.properties.type ?? (typeof envelope?.type === 'string' ? envelope.type : null),
          envelope ? JSON.stringify(envelope) : null,
          raw,
          JSON.stringify(headers),
          String(headers[HEADERS.reason] ?? 'unknown'),
          Number(headers[HEADERS.attempts] ?? 0) || 0,
          String(headers[HEADERS.lastError] ?? 'no error recorded'),
          typeof headers[HEADERS.failedAt] === 'string' ? headers[HEADERS.failedAt] : null,
        ],
      );
      if (channel === this.current) {
        try {
          channel.ack(msg);
        } catch {
          // channel gone: redelivered, and recorded once thanks to the dead-letter id
        }
      }
    } catch (e) {
      // Unacknowledged, the message stays in the DLQ: on shutdown it is redelivered to the next instance.
      if (this.stopping) return;
      this.logger.error(`cannot record dead letter ${id} (kept in the DLQ, retried in 1 s): ${(e as Error).message}`);
      // A pause before the requeue, so a database outage is not a hot loop.
      setTimeout(() => {
        if (channel !== this.current || this.stopping) return;
        try {
          channel.nack(msg, false, true);
        } catch {
          // channel gone: the broker redelivers the message anyway
        }
      }, 1000).unref();
    }
  }
}
