import { RequestContext, systemContext } from '@app/shared/context/request-context';
import { StatusFlow } from '@app/shared/status-machine/status-machine';
import { InMemoryStatusFlows } from '@app/shared/testing/in-memory-status';
import { JobRow } from '../../src/jobs/job-row';
import { jobMachineOf, machineSeeds } from '../../src/master-data/jtd-master-data';
import { TenantConfig } from '../../src/settings/tenant-config.repository';
import { StoredTemplate } from '../../src/templates/template.repository';

/** Small factories with sensible defaults for the dispatcher's unit tests (no database). */

export const TENANT = '6f1a3c1e-7e0b-4b53-9a51-3d8f3f1f2b10';
export const OTHER_TENANT = '7a2b4d2f-8f1c-4c64-8b62-4e9f4f2f3c21';
export const USER = { type: 'user' as const, id: '11111111-1111-4111-8111-111111111111', name: 'Asha Admin' };
export const userContext = (tenantId = TENANT): RequestContext => ({ ...systemContext(tenantId, 'corr-1'), actor: USER, roles: ['admin'] });

let serial = 0;
const uuid = (n: number) => `0c7f1f5e-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function job(over: Partial<JobRow> = {}): JobRow {
  const id = over.id ?? uuid(++serial);
  return {
    id,
    tenantId: TENANT,
    eventTypeCode: 'reminder',
    channelCode: 'email',
    sourceTypeCode: 'service_reminder',
    sourceId: 'visit-1',
    recipientType: 'customer',
    recipientId: null,
    recipientName: 'Ravi Kumar',
    recipientContact: 'ravi@example.com',
    recipient: {
      type: 'customer',
      name: 'Ravi Kumar',
      email: 'ravi@example.com',
      phone: '+919812345678',
      deviceTokens: ['device-token-abcdefghijklmnopqrstuvwxyz'],
    },
    templateKey: 'service_reminder_email_v1',
    templateId: 'b0000000-0000-4000-8000-000000000001',
    variables: { customer_name: 'Ravi', service_type: 'AC service', service_date: '2026-12-01', tenant_name: 'CoolAir' },
    businessContext: {},
    status: 'pending',
    previousStatus: 'created',
    statusChangedAt: new Date('2026-11-22T05:00:00Z'),
    isValidTransition: true,
    priority: 5,
    scheduledAt: null,
    nextAttemptAt: new Date('2026-11-22T05:00:00Z'),
    attempts: 0,
    maxRetries: 3,
    retryDelaySeconds: 300,
    autoExecute: true,
    leaseOwner: null,
    leaseUntil: null,
    sentAt: null,
    lastError: null,
    errorCode: null,
    providerCode: null,
    providerMessageId: null,
    cost: '0.0000',
    performedByType: 'system',
    performedById: '00000000-0000-0000-0000-000000000002',
    performedByName: 'System',
    isLive: true,
    requestId: null,
    correlationId: null,
    traceParent: null,
    channelsTried: [],
    version: 2,
    createdAt: new Date('2026-11-22T05:00:00Z'),
    updatedAt: new Date('2026-11-22T05:00:00Z'),
    ...over,
  };
}

export function tenantConfig(over: Partial<TenantConfig> = {}): TenantConfig {
  return {
    tenantId: TENANT,
    vaniEnabled: false,
    vaniAutoExecuteTypes: [],
    channelsEnabled: { email: true, sms: true, whatsapp: true, push: true, inapp: true },
    dailyLimit: null,
    monthlyLimit: null,
    defaultPriority: 5,
    timezone: 'UTC',
    quietHoursStart: null,
    quietHoursEnd: null,
    appointmentReminderLeadMinutes: 1440,
    isLive: true,
    providerProfile: null,
    channelFallback: {},
    version: 1,
    ...over,
  };
}

export function template(over: Partial<StoredTemplate> = {}): StoredTemplate {
  return {
    id: 'b0000000-0000-4000-8000-000000000001',
    tenantId: null,
    templateKey: 'service_reminder_email_v1',
    name: 'service_reminder_email_v1',
    channelCode: 'email',
    sourceTypeCode: 'service_reminder',
    subject: 'Reminder: {{service_type}} on {{service_date}}',
    content: 'Hello {{customer_name}}, your {{service_type}} is on {{service_date}}. {{tenant_name}}',
    contentHtml: null,
    variables: ['customer_name', 'service_type', 'service_date', 'tenant_name'],
    providerTemplateId: null,
    version: 1,
    isActive: true,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  };
}

/** The seeded system flows of every event type (`jtd:<event type>`), as the status tables hold them after the migration. */
export function seededFlows(): InMemoryStatusFlows {
  const flows = new InMemoryStatusFlows();
  for (const m of machineSeeds()) flows.setSystem(jobMachineOf(m.eventType), seededFlow(m.eventType));
  return flows;
}

export function seededFlow(eventType: string): StatusFlow {
  const m = machineSeeds().find((s) => s.eventType === eventType)!;
  return {
    statuses: m.statuses.map((s) => ({
      code: s.code,
      label: s.code,
      order: s.order,
      isInitial: s.flags.includes('I'),
      isTerminal: s.flags.includes('T'),
      category: s.type,
    })),
    transitions: m.transitions,
  };
}
