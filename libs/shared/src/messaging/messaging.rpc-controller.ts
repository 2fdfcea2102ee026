import { Controller } from '@nestjs/common';
import { RequestContext } from '../context/request-context';
import { RpcHandler } from '../rpc/rpc-handler.decorator';
import { DeadLettersService } from './dead-letters.service';
import { EventLogService } from './event-log.service';
import { DeadLetterListDto, DeadLetterReplayDto, EventLogQueryDto, MESSAGING_RPC } from './messaging-api.dto';

/**
 * The backbone's RPC handlers, present in every service. The patterns are the same everywhere: each service
 * answers on its own RPC queue, and the gateway asks all of them and merges.
 */
@Controller()
export class MessagingRpcController {
  constructor(
    private readonly eventLog: EventLogService,
    private readonly deadLetters: DeadLettersService,
  ) {}

  @RpcHandler(MESSAGING_RPC.eventLog, EventLogQueryDto)
  queryEventLog(body: EventLogQueryDto, ctx: RequestContext) {
    return this.eventLog.query(ctx, body);
  }

  @RpcHandler(MESSAGING_RPC.deadLetters, DeadLetterListDto)
  listDeadLetters(body: DeadLetterListDto, ctx: RequestContext) {
    return this.deadLetters.list(ctx, body);
  }

  @RpcHandler(MESSAGING_RPC.replay, DeadLetterReplayDto)
  replayDeadLetter(body: DeadLetterReplayDto, ctx: RequestContext) {
    return this.deadLetters.replay(ctx, body.id);
  }
}
