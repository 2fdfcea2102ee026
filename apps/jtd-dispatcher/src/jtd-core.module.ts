import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StatusFlowStore } from '@app/shared/status-machine/status-flow.store';
import { SqlStatusHistory, StatusHistoryWriter } from '@app/shared/status-machine/status-history';
import { Clock, SystemClock } from '@app/shared/time/clock';
import { IntakeLeases } from './delivery/intake-leases';
import { JobWakeups } from './delivery/job-wakeups';
import { InboxRepository } from './inbox/inbox.repository';
import { AttemptRepository } from './jobs/attempt.repository';
import { JobCreator } from './jobs/job-creator';
import { JOB_FLOW_SOURCE, JobFlows } from './jobs/job-flows';
import { JobHistoryRepository } from './jobs/job-history.repository';
import { JOB_HISTORY, JobStatusMover } from './jobs/job-status-mover';
import { JobRepository } from './jobs/job.repository';
import { SandboxRepository } from './jobs/sandbox.repository';
import { MasterDataRepository } from './master-data/master-data.repository';
import { JtdMetrics } from './metrics/jtd-metrics';
import { ProviderHealth } from './providers/provider-health';
import { ProviderRegistry } from './providers/provider-registry';
import { JtdConfigCache } from './settings/jtd-config-cache';
import { SourceConfigRepository } from './settings/source-config.repository';
import { TenantConfigRepository } from './settings/tenant-config.repository';
import { MessageComposer } from './templates/message-composer';
import { TemplateRepository } from './templates/template.repository';

const SHARED = [
  JobRepository,
  JobHistoryRepository,
  AttemptRepository,
  SandboxRepository,
  JobFlows,
  JobStatusMover,
  JobCreator,
  JobWakeups,
  IntakeLeases,
  JtdConfigCache,
  TenantConfigRepository,
  SourceConfigRepository,
  TemplateRepository,
  MasterDataRepository,
  InboxRepository,
  MessageComposer,
  ProviderRegistry,
  ProviderHealth,
  JtdMetrics,
];

/** What several features of the dispatcher share: repositories, the status engine of jobs, job creation, caches, providers, the clock. */
@Global()
@Module({})
export class JtdCoreModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: JtdCoreModule,
      providers: [
        ...SHARED,
        { provide: Clock, useValue: clock },
        { provide: StatusHistoryWriter, useValue: new SqlStatusHistory(JOB_HISTORY) },
        { provide: JOB_FLOW_SOURCE, inject: [DataSource], useFactory: (dataSource: DataSource) => new StatusFlowStore(dataSource) },
      ],
      exports: [...SHARED, Clock, StatusHistoryWriter],
    };
  }
}
