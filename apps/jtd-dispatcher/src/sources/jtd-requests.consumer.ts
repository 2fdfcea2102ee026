import { Injectable } from '@nestjs/common';
import { JtdRequestedPayload } from '@app/shared/catalog/jtd.catalog';
import type { Db } from '@app/shared/db/sql';
import { EventBatchItem, HandlesEventBatch } from '@app/shared/messaging/handles-event.decorator';
import { JobCreator, JobRequest } from '../jobs/job-creator';

/**
 * JTD_REQUESTED from another service (an OTP, a notice): its jobs, once per request id and channel. The
 * requests delivered together become jobs in one statement (JobCreator.createMany): one INSERT per delivery
 * batch instead of one (and a savepoint) per request, which is what bounded job creation.
 */
@Injectable()
export class JtdRequestsConsumer {
  constructor(private readonly creator: JobCreator) {}

  @HandlesEventBatch('JTD_REQUESTED')
  async onRequested(items: EventBatchItem<JtdRequestedPayload>[], tx: Db): Promise<void> {
    // The creation is all this handler writes: the jobs due now may be leased with it (IntakeLeases).
    await this.creator.createMany(
      tx,
      items.map(({ event, ctx }) => ({ ctx, req: requestOf(event.source, event.payload) })),
      { leaseDue: true },
    );
  }
}

function requestOf(source: string, p: JtdRequestedPayload): JobRequest {
  return {
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
    requestId: `${source}:${p.requestId}`,
    businessContext: { requestedBy: source },
  };
}
