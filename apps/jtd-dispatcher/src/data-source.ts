import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@app/shared/messaging/messaging.module';
import { StatusFlowTables1764000000000 } from '@app/shared/status-machine/migrations/1764000000000-status-flow-tables';
import { STATUS_FLOW_ENTITIES } from '@app/shared/status-machine/status-flow.entities';
import { JtdTables1764300000000 } from './migrations/1764300000000-jtd-tables';
import { JtdMasterData1764300000001 } from './migrations/1764300000001-jtd-master-data';
import { JtdBulkRateGrants1764300000002 } from './migrations/1764300000002-jtd-bulk-rate-grants';
import { JtdWebhookSecretHash1764300000005 } from './migrations/1764300000005-jtd-webhook-secret-hash';
import { JtdWebhookReportLookup1764300000006 } from './migrations/1764300000006-jtd-webhook-report-lookup';
import { JtdStatusHistory1764300000007 } from './migrations/1764300000007-jtd-status-history';
import { JtdLifecycleTemplates1764300000030 } from './migrations/1764300000030-jtd-lifecycle-templates';
import { JtdFailover1764300000040 } from './migrations/1764300000040-jtd-failover';
import { JtdJobTrace1764300000050 } from './migrations/1764300000050-jtd-job-trace';
import { JtdWaitingIndex1764300000060 } from './migrations/1764300000060-jtd-waiting-index';
import { JtdProviderIndex1764300000070 } from './migrations/1764300000070-jtd-provider-index';

/** Everything this service stores in schema `jtd`; one list for the app, migrations and tests. */
export const JTD_SCHEMA = 'jtd';
export const JTD_ENTITIES: Function[] = [...STATUS_FLOW_ENTITIES, ...MESSAGING_ENTITIES];
export const JTD_MIGRATIONS: Function[] = [
  StatusFlowTables1764000000000,
  ...MESSAGING_MIGRATIONS,
  JtdTables1764300000000,
  JtdMasterData1764300000001,
  JtdBulkRateGrants1764300000002,
  JtdWebhookSecretHash1764300000005,
  JtdWebhookReportLookup1764300000006,
  JtdStatusHistory1764300000007,
  JtdLifecycleTemplates1764300000030,
  JtdFailover1764300000040,
  JtdJobTrace1764300000050,
  JtdWaitingIndex1764300000060,
  JtdProviderIndex1764300000070,
];
