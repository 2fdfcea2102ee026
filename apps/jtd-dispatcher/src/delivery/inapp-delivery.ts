import { Injectable } from '@nestjs/common';
import { InappNotificationCreatedPayload } from '@app/shared/catalog/jtd.catalog';
import { systemContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { NewDomainEvent } from '@app/shared/messaging/envelope';
import { Outbox } from '@app/shared/messaging/outbox';
import { InboxRepository } from '../inbox/inbox.repository';
import { SendOutcome } from '../providers/delivery-adapter';
import { PreparedSend } from './prepared-send';

/**
 * The in-app channel, which we deliver ourselves: a notification in the user's inbox and
 * INAPP_NOTIFICATION_CREATED, in one transaction. Idempotent by job id, so a send interrupted by a lost
 * lease can simply run again. The inbox is read by tenant users: it gets the masked message, never an
 * opened secret.
 */
@Injectable()
export class InappDelivery {
  constructor(
    private readonly db: Transactions,
    private readonly inbox: InboxRepository,
    private readonly outbox: Outbox,
  ) {}

  deliver(p: PreparedSend): Promise<SendOutcome> {
    const { job, request } = p;
    const { subject, body } = p.shown;
    const title = (subject ?? job.sourceTypeCode).slice(0, 255);
    return this.db.run(async (tx) => {
      const id = await this.inbox.insertForJob(tx, {
        tenantId: job.tenantId,
        userId: request.contact,
        title,
        body,
        metadata: job.businessContext,
        jobId: job.id,
      });
      if (!id) return { kind: 'sent', providerMessageId: await this.inbox.idOfJob(tx, job.id) };
      const created: NewDomainEvent<InappNotificationCreatedPayload> = {
        type: 'INAPP_NOTIFICATION_CREATED',
        aggregateId: id,
        payload: { notificationId: id, userId: request.contact, title, body, jtdId: job.id },
      };
      await this.outbox.append(tx, { ...systemContext(job.tenantId), actor: p.actor }, [created]);
      return { kind: 'sent', providerMessageId: id };
    });
  }
}
