import { Injectable } from '@nestjs/common';
import { EventLogItem, EventLogQuery } from '@app/shared/api/platform/messaging.dto';
import { listEventLog, listServiceEventLog } from '@app/shared/api/platform/platform.operations';
import { redactEnvelope } from '@app/shared/catalog/event-catalog';
import { encodeCursor } from '@app/shared/contract/cursor';
import { DEFAULT_PAGE_SIZE, Page } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { SERVICES } from '@app/shared/rpc/rpc-request';
import { ServiceRpc } from '../rpc/service-rpc';
import { decodeMergedCursor, keyFor, mergePages } from './merged-page';

/**
 * `GET /v1/event-log` (admins): what happened, from every service's stored events, newest first. Each service answers
 * for the events it emitted; the pages are merged here. A service that does not answer fails the request
 * (503/504) rather than returning a log with silent holes.
 */
@Injectable()
export class EventLogHandler {
  constructor(private readonly rpc: ServiceRpc) {}

  @Handles(listEventLog)
  async query(query: EventLogQuery, ctx: RequestContext): Promise<Page<EventLogItem>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeMergedCursor(query.cursor, 'int');
    const pages = await Promise.all(
      SERVICES.map(async (service) => {
        const serviceCursor = cursor ? encodeCursor([cursor.at, Number(keyFor(cursor, service, Number.MAX_SAFE_INTEGER, 0))]) : undefined;
        const page = await this.rpc.call(listServiceEventLog, ctx, { ...query, limit, cursor: serviceCursor }, { service });
        return { service, items: page.items, more: page.nextCursor !== null };
      }),
    );
    const merged = mergePages(
      pages,
      limit,
      (e) => e.timestamp,
      (e) => e.sequence,
    );
    // The services redact already; the edge does it again so that one service of an older build cannot leak a secret.
    return { items: merged.items.map(({ service: _service, ...item }) => redactEnvelope(item)), nextCursor: merged.nextCursor };
  }
}
