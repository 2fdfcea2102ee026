import { Module } from '@nestjs/common';
import { ChannelFallbackPlanner } from './channel-fallback';
import { ClaimStep } from './claim.step';
import { DeadTokenRepository } from './dead-token.repository';
import { DeliveryAdmission } from './delivery-admission';
import { DeliveryCounters } from './delivery-counters.repository';
import { DispatchPass } from './dispatch-pass';
import { Dispatcher } from './dispatcher';
import { DispatcherIdentity } from './dispatcher-identity';
import { InappDelivery } from './inapp-delivery';
import { JtdNotifications } from './jtd-notifications';
import { MessageGates } from './message-gates';
import { ProviderFailover } from './provider-failover';
import { RateBucketPurge } from './rate-bucket-purge.job';
import { RecordOutcomesStep } from './record-outcomes.step';
import { RecoverLeasesStep } from './recover-leases.step';
import { SendStep } from './send.step';
import { WaitingGauges } from './waiting-gauges.job';

/** The delivery pipeline: the loop, its steps (recover leases, claim with gates, send, record outcome) and its periodic jobs. */
@Module({
  providers: [
    Dispatcher,
    DispatchPass,
    DispatcherIdentity,
    JtdNotifications,
    RecoverLeasesStep,
    ClaimStep,
    MessageGates,
    DeliveryAdmission,
    DeliveryCounters,
    DeadTokenRepository,
    SendStep,
    ProviderFailover,
    InappDelivery,
    ChannelFallbackPlanner,
    RecordOutcomesStep,
    RateBucketPurge,
    WaitingGauges,
  ],
  exports: [Dispatcher, RateBucketPurge, WaitingGauges],
})
export class DeliveryModule {}
