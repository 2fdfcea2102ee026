import { Injectable } from '@nestjs/common';
import { StreamQuery } from '@app/shared/api/realtime/stream.dto';
import { openStream } from '@app/shared/api/realtime/stream.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { GatewayConfig } from '../gateway.config';
import { StreamConnection, Streams } from '../operations/streams.decorator';
import { StreamClient } from './stream-client';
import { StreamHub } from './stream-hub';
import { topicsFor } from './stream-topics';

/** `GET /v1/stream`: the caller's topics, then the connection handed to the hub. */
@Injectable()
export class StreamHandler {
  constructor(
    private readonly hub: StreamHub,
    private readonly config: GatewayConfig,
  ) {}

  @Streams(openStream)
  open(input: StreamQuery, ctx: RequestContext, connection: StreamConnection): void {
    const { topics, refused } = topicsFor(ctx, input.topics);
    if (refused.length) throw new DomainError(ErrorCode.FORBIDDEN, `your roles may not read these topics: ${refused.join(', ')}`, { topics: refused });
    if (this.hub.connections >= this.config.STREAM_MAX_CONNECTIONS) {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'this gateway has as many open streams as it takes; retry shortly', { reason: 'too many streams' });
    }
    const response = connection.start();
    const client = new StreamClient({
      tenantId: ctx.tenantId.toLowerCase(),
      userId: ctx.actor.id.toLowerCase(),
      topics,
      response,
      maxBufferedBytes: this.config.STREAM_CLIENT_BUFFER_BYTES,
    });
    this.hub.attach(client, connection.lastEventId ?? input.lastEventId, connection.expiresAt);
  }
}
