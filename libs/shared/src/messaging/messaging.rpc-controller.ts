import { Controller } from '@nestjs/common';
import { DeadLetterQuery, DeadLetterRef, EventLogQuery } from '../api/platform/messaging.dto';
import { listServiceDeadLetters, listServiceEventLog, replayServiceDeadLetter } from '../api/platform/platform.operations';
import { RequestContext } from '../context/request-context';
import { Handles } from '../rpc/handles.decorator';
import { DeadLettersService } from './dead-letters.service';
import { EventLogService } from './event-log.service';

/**
 * The backbone's operations, answered by every service on its own RPC queue; the gateway asks all of them
 * and merges.
 */
@Controller()
export class MessagingRpcController {
  constructor(
    private readonly eventLog: EventLogService,
    private readonly deadLetters: DeadLettersService,
  ) {}

  @Handles(listServiceEventLog)
  queryEventLog(query: EventLogQuery, ctx: RequestContext) {
    return this.eventLog.query(ctx, query);
  }

  @Handles(listServiceDeadLetters)
  listDeadLetters(query: DeadLetterQuery, ctx: RequestContext) {
    return this.deadLetters.list(ctx, query);
  }

  @Handles(replayServiceDeadLetter)
  replayDeadLetter(ref: DeadLetterRef, ctx: RequestContext) {
    return this.deadLetters.replay(ctx, ref.id);
  }
}
