import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import { DataSource } from 'typeorm';
import { redactEnvelope } from '../catalog/event-catalog';
import { RequestContext } from '../context/request-context';
import { DomainError } from '../errors/domain-error';
import { BrokerConnection } from './broker-connection';
import { DeadLetterItem, DeadLetterQuery } from '../api/platform/messaging.dto';
import { decodeCursor, encodeCursor } from '../contract/cursor';
import { DEFAULT_PAGE_SIZE, Page } from '../contract/page';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { HEADERS, serviceQueue } from './topology';

interface DeadLetterRow {
  id: string;
  queue: string;
  message_id: string | null;
  type: string | null;
  envelope: Record<string, unknown> | null;
  raw_body: string | null;
  headers: Record<string, unknown>;
  reason: string;
  attempts: number;
  last_error: string;
  created_at: Date;
  replayed_at: Date | null;
  replay_count: number;
}

/** This service's dead letters: listing for the tenant, and replay of one back onto the service queue. */
/** Position in a service's dead letters: (created_at, id), newest first. */
export const DEAD_LETTER_CURSOR = ['timestamp', 'uuid'] as const;

@Injectable()
export class DeadLettersService implements OnModuleDestroy {
  private channel?: ChannelWrapper;

  constructor(
    private readonly dataSource: DataSource,
    private readonly broker: BrokerConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async list(ctx: RequestContext, query: DeadLetterQuery): Promise<Page<DeadLetterItem>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, DEAD_LETTER_CURSOR);
    const params: unknown[] = [ctx.tenantId, limit + 1];
    let where = 'tenant_id = $1';
    if (cursor) {
      params.push(...cursor);
      where += ' AND (created_at, id) < ($3::timestamptz, $4::uuid)';
    }
    const rows: DeadLetterRow[] = await this.dataSource.query(`SELECT * FROM dead_letters WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $2`, params);
    const items = rows.slice(0, limit).map((r) => this.toItem(r));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt, last.id]) : null };
  }

  /**
   * Sends the dead letter back to this service's queue with fresh attempts. Idempotent: a dead letter is
   * replayed once (if it fails again it comes back as a new dead letter); the inbox makes a duplicate harmless.
   */
  async replay(ctx: RequestContext, id: string): Promise<DeadLetterItem> {
    return this.dataSource.transaction(async (tx) => {
      const [row]: DeadLetterRow[] = await tx.query('SELECT * FROM dead_letters WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [id, ctx.tenantId]);
      if (!row) throw DomainError.notFound('dead letter', id);
      if (row.replayed_at) return this.toItem(row);
      const body = row.raw_body ?? JSON.stringify(row.envelope);
      const headers = Object.fromEntries(
        Object.entries(row.headers ?? {}).filter(([k]) => !k.startsWith('x-cn-') && !k.startsWith('x-death') && !k.startsWith('x-first-death')),
      );
      await this.publisher().publish('', serviceQueue(this.broker.namespace, this.options.service), Buffer.from(body), {
        persistent: true,
        mandatory: true,
        contentType: 'application/json',
        messageId: row.message_id ?? undefined,
        type: row.type ?? undefined,
        correlationId: typeof row.envelope?.correlationId === 'string' ? row.envelope.correlationId : undefined,
        headers: { ...headers, 'x-cn-replayed-from': row.id, 'x-cn-replayed-by': ctx.actor.id },
      });
      // TypeORM answers an UPDATE with [rows, affectedCount]
      const [updated]: [DeadLetterRow[], number] = await tx.query(
        'UPDATE dead_letters SET replayed_at = now(), replay_count = replay_count + 1 WHERE id = $1 RETURNING *',
        [row.id],
      );
      return this.toItem(updated[0]);
    });
  }

  private publisher(): ChannelWrapper {
    this.channel ??= this.broker.createChannel({ name: `${this.options.service}.replay`, confirm: true, publishTimeout: 10000 });
    return this.channel;
  }

  async onModuleDestroy(): Promise<void> {
    await this.channel?.close().catch(() => undefined);
  }

  private toItem(r: DeadLetterRow): DeadLetterItem {
    return {
      id: r.id,
      service: this.options.service,
      queue: r.queue,
      messageId: r.message_id,
      type: r.type,
      reason: r.reason,
      lastError: r.last_error,
      attempts: r.attempts,
      createdAt: new Date(r.created_at).toISOString(),
      replayedAt: r.replayed_at ? new Date(r.replayed_at).toISOString() : null,
      replayCount: r.replay_count,
      // Secrets of the payload read [sealed]; a replay republishes the stored envelope, sealed as it came.
      envelope: r.envelope ? redactEnvelope(r.envelope) : null,
      headers: Object.fromEntries(Object.entries(r.headers ?? {}).filter(([k]) => k !== HEADERS.lastError)),
    };
  }
}
