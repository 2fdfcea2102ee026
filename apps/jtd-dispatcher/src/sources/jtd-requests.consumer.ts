import { Injectable } from '@nestjs/common';
import { JtdRequestedPayload } from '@app/shared/catalog/jtd.catalog';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Envelope } from '@app/shared/messaging/envelope';
import { HandlesEvent } from '@app/shared/messaging/handles-event.decorator';
import { JobCreator } from '../jobs/job-creator';

/** JTD_REQUESTED from another service (an OTP, a notice): its jobs, once per request id and channel. */
@Injectable()
export class JtdRequestsConsumer {
  constructor(private readonly creator: JobCreator) {}

  @HandlesEvent('JTD_REQUESTED')
  async onRequested(event: Envelope<JtdRequestedPayload>, tx: Db, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    await this.creator.create(tx, ctx, {
      eventType: p.eventType,
      sourceType: p.sourceType,
      sourceId: p.sourceId,
      channels: p.channels,
      recipient: p.recipient,
      templateKey: p.templateKey,
      variables: p.variables ?? {},
      scheduledAt: p.scheduledAt,
      priority: p.priority,
      isLive: p.isLive,
      requestId: `${event.source}:${p.requestId}`,
      businessContext: { requestedBy: event.source },
    });
  }
}
