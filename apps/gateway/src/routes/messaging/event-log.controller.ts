import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestContext } from '@app/shared/context/request-context';
import { encodeLogCursor } from '@app/shared/messaging/cursor';
import { DEFAULT_PAGE_SIZE, EventLogItem, MESSAGING_RPC, Page } from '@app/shared/messaging/messaging-api.dto';
import { SERVICES } from '@app/shared/rpc/rpc-request';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';
import { decodeMergedCursor, keyFor, mergePages } from './merged-page';
import { EventLogQueryDto } from './messaging-http.dto';

/**
 * `GET /v1/event-log`: what happened, from every service's stored events, newest first. Each service answers
 * for the events it emitted; the pages are merged here. A service that does not answer fails the request
 * (503/504) rather than returning a log with silent holes.
 */
@ApiTags('event log')
@Controller('event-log')
export class EventLogController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Get()
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Events of this tenant by correlation id, aggregate id or type, newest first (cursor pagination)' })
  async query(@Ctx() ctx: RequestContext, @Query() query: EventLogQueryDto) {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeMergedCursor(query.cursor);
    const pages = await Promise.all(
      SERVICES.map(async (service) => {
        const serviceCursor = cursor ? encodeLogCursor({ createdAt: cursor.at, seq: Number(keyFor(cursor, service, Number.MAX_SAFE_INTEGER, 0)) }) : undefined;
        const page = await this.rpc.call<Page<EventLogItem>>(service, MESSAGING_RPC.eventLog, ctx, { ...query, limit, cursor: serviceCursor });
        return { service, items: page.items, more: page.nextCursor !== null };
      }),
    );
    const merged = mergePages(pages, limit, (e) => e.timestamp, (e) => e.sequence);
    return { items: merged.items.map(({ service: _service, ...item }) => item), nextCursor: merged.nextCursor };
  }
}
