import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { encodeCursor } from '@app/shared/messaging/cursor';
import { DeadLetterItem, DEFAULT_PAGE_SIZE, MESSAGING_RPC, Page } from '@app/shared/messaging/messaging-api.dto';
import { SERVICES } from '@app/shared/rpc/rpc-request';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';
import { decodeMergedCursor, keyFor, mergePages } from './merged-page';
import { DeadLetterIdParamDto, DeadLetterListDto } from './messaging-http.dto';

const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
const MIN_UUID = '00000000-0000-0000-0000-000000000000';

/** `/v1/admin/dead-letters`: this tenant's parked messages in every service, and replay of one. */
@ApiTags('dead letters')
@Controller('admin/dead-letters')
export class DeadLettersController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Dead-lettered messages of this tenant with reason, last error and attempts, newest first' })
  async list(@Ctx() ctx: RequestContext, @Query() query: DeadLetterListDto) {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeMergedCursor(query.cursor);
    const pages = await Promise.all(
      SERVICES.map(async (service) => {
        const serviceCursor = cursor ? encodeCursor({ createdAt: cursor.at, id: String(keyFor(cursor, service, MAX_UUID, MIN_UUID)) }) : undefined;
        const page = await this.rpc.call<Page<DeadLetterItem>>(service, MESSAGING_RPC.deadLetters, ctx, { limit, cursor: serviceCursor });
        return { service, items: page.items, more: page.nextCursor !== null };
      }),
    );
    return mergePages(pages, limit, (d) => d.createdAt, (d) => d.id);
  }

  /** The id belongs to exactly one service; ask all, the others answer NOT_FOUND. */
  @Post(':id/replay')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Send one dead letter back to its queue (once; a replay that fails again becomes a new dead letter)' })
  async replay(@Ctx() ctx: RequestContext, @Param() params: DeadLetterIdParamDto) {
    const results = await Promise.allSettled(SERVICES.map((service) => this.rpc.call<DeadLetterItem>(service, MESSAGING_RPC.replay, ctx, { id: params.id })));
    const found = results.find((r): r is PromiseFulfilledResult<DeadLetterItem> => r.status === 'fulfilled');
    if (found) return found.value;
    const failure = results
      .map((r) => (r as PromiseRejectedResult).reason)
      .find((e) => !(e instanceof DomainError && e.code === ErrorCode.NOT_FOUND));
    throw failure ?? DomainError.notFound('dead letter', params.id);
  }
}
