import { Module } from '@nestjs/common';
import { ContractMessagesConsumer } from './contract-messages.consumer';
import { CustomerMessages } from './customer-messages';
import { JtdRequestsConsumer } from './jtd-requests.consumer';
import { LifecycleMessagesConsumer } from './lifecycle-messages.consumer';
import { TenantConfigConsumer } from './tenant-config.consumer';
import { VisitMessagesConsumer } from './visit-messages.consumer';

/**
 * Domain events → jobs, through the source types. Every handler runs in the consumer's transaction with
 * the inbox record, and creation is idempotent on (source, source id, channel, template), so a redelivered
 * event creates nothing new.
 */
@Module({
  providers: [CustomerMessages, TenantConfigConsumer, JtdRequestsConsumer, ContractMessagesConsumer, VisitMessagesConsumer, LifecycleMessagesConsumer],
})
export class SourcesModule {}
