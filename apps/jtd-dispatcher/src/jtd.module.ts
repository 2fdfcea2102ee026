import { Module } from '@nestjs/common';
import { InboxRpcController } from './inbox/inbox.rpc-controller';
import { InboxService } from './inbox/inbox.service';
import { JobStatusService } from './jobs/job-status.service';
import { JobsQueries } from './jobs/jobs.queries';
import { JobsRpcController } from './jobs/jobs.rpc-controller';
import { ActOnJobUseCase } from './jobs/use-cases/act-on-job.use-case';
import { CreateJobsUseCase } from './jobs/use-cases/create-jobs.use-case';
import { JtdMetrics } from './metrics/jtd-metrics';
import { DeliveryGates } from './pipeline/delivery-gates';
import { DispatcherWorker } from './pipeline/dispatcher.worker';
import { JobWakeups } from './pipeline/job-wakeups';
import { ProviderRegistry } from './providers/provider-registry';
import { JtdConfigCache } from './settings/jtd-config-cache';
import { JtdSettingsService } from './settings/jtd-settings.service';
import { SettingsRpcController } from './settings/settings.rpc-controller';
import { TenantConfigRepository } from './settings/tenant-config.repository';
import { DomainEventSources } from './sources/domain-event-sources.handler';
import { JtdTemplatesService } from './templates/jtd-templates.service';
import { MessageComposer } from './templates/message-composer';
import { TemplatesRepository } from './templates/templates.repository';
import { TemplatesRpcController } from './templates/templates.rpc-controller';
import { JtdClock } from './time/clock';
import { Msg91WebhookUseCase } from './webhooks/msg91-webhook.use-case';
import { WebhooksRpcController } from './webhooks/webhooks.rpc-controller';

/** Everything of the dispatcher; `clock` lets tests drive time. */
@Module({})
export class JtdModule {
  static forRoot(clock: JtdClock = new JtdClock()) {
    return {
      module: JtdModule,
      controllers: [JobsRpcController, TemplatesRpcController, SettingsRpcController, InboxRpcController, WebhooksRpcController],
      providers: [
        { provide: JtdClock, useValue: clock },
        JobStatusService, JobsQueries, CreateJobsUseCase, ActOnJobUseCase, TenantConfigRepository, TemplatesRepository,
        JtdTemplatesService, JtdSettingsService, InboxService, ProviderRegistry, DeliveryGates, DispatcherWorker, JtdMetrics,
        Msg91WebhookUseCase, DomainEventSources, JtdConfigCache, JobWakeups, MessageComposer,
      ],
      exports: [DispatcherWorker, CreateJobsUseCase, ActOnJobUseCase, JobsQueries, ProviderRegistry, JtdClock],
    };
  }
}
