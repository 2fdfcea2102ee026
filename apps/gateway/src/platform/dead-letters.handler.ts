import { Injectable } from '@nestjs/common';
import { DeadLetterItem, DeadLetterQuery, DeadLetterRef } from '@app/shared/api/platform/messaging.dto';
import { listDeadLetters, listServiceDeadLetters, replayDeadLetter, replayServiceDeadLetter } from '@app/shared/api/platform/platform.operations';
import { redactEnvelope } from '@app/shared/catalog/event-catalog';
import { encodeCursor } from '@app/shared/contract/cursor';
import { DEFAULT_PAGE_SIZE, Page } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { SERVICES } from '@app/shared/rpc/rpc-request';
import { ServiceRpc } from '../rpc/service-rpc';
import { decodeMergedCursor, keyFor, mergePages } from './merged-page';

const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
const MIN_UUID = '00000000-0000-0000-0000-000000000000';

/** The services redact already; the edge does it again so that one service of an older build cannot leak a secret. */
function redacted(item: DeadLetterItem): DeadLetterItem {
  return item.envelope ? { ...item, envelope: redactEnvelope(item.envelope) } : item;
}

/** `/v1/admin/dead-letters`: this tenant's parked messages in every service, and replay of one. */
@Injectable()
export class DeadLettersHandler {
  constructor(private readonly rpc: ServiceRpc) {}

  @Handles(listDeadLetters)
  async list(query: DeadLetterQuery, ctx: RequestContext): Promise<Page<DeadLetterItem>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeMergedCursor(query.cursor, 'uuid');
    const pages = await Promise.all(
      SERVICES.map(async (service) => {
        const serviceCursor = cursor ? encodeCursor([cursor.at, String(keyFor(cursor, service, MAX_UUID, MIN_UUID))]) : undefined;
        const page = await this.rpc.call(listServiceDeadLetters, ctx, { limit, cursor: serviceCursor }, { service });
        return { service, items: page.items, more: page.nextCursor !== null };
      }),
    );
    const merged = mergePages(
      pages,
      limit,
      (d) => d.createdAt,
      (d) => d.id,
    );
    return { items: merged.items.map(redacted), nextCursor: merged.nextCursor };
  }

  /** The id belongs to exactly one service; ask all, the others answer NOT_FOUND. */
  @Handles(replayDeadLetter)
  async replay(ref: DeadLetterRef, ctx: RequestContext): Promise<DeadLetterItem> {
    const results = await Promise.allSettled(SERVICES.map((service) => this.rpc.call(replayServiceDeadLetter, ctx, { id: ref.id }, { service })));
    const found = results.find((r): r is PromiseFulfilledResult<DeadLetterItem> => r.status === 'fulfilled');
    if (found) return redacted(found.value);
    const failure = results.map((r) => (r as PromiseRejectedResult).reason).find((e) => !(e instanceof DomainError && e.code === ErrorCode.NOT_FOUND));
    throw failure ?? DomainError.notFound('dead letter', ref.id);
  }
}
