import { randomUUID } from 'node:crypto';
import { publishRaw, testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { TestEnvironment } from '@app/shared/testing/test-environment';

export interface SeededContract {
  tenantId: string;
  contractId: string;
  events: { service: string[]; sparePart: string[]; billing: string[] };
}

/**
 * Publishes what the events service would (TENANT_CREATED, CONTRACT_ACTIVATED, CONTRACT_EVENTS_CREATED listing the
 * contract's events) on the test's domain exchange, so the tickets service builds its read model through its
 * real consumer.
 */
export async function seedContract(
  env: TestEnvironment,
  opts: {
    tenantId?: string;
    timezone?: string;
    services?: number;
    spareParts?: number;
    billing?: number;
    customerPhone?: string;
    withTenant?: boolean;
    /** Ids chosen by the test (to ask for them before they are published); else new ones. */
    contractId?: string;
    serviceEventIds?: string[];
  } = {},
): Promise<SeededContract> {
  const tenantId = opts.tenantId ?? randomUUID();
  const contractId = opts.contractId ?? randomUUID();
  const serviceIds = [...(opts.serviceEventIds ?? [])];
  const timezone = opts.timezone ?? 'Asia/Kolkata';
  const at = new Date().toISOString();
  const messages = [];
  if (opts.withTenant !== false) {
    messages.push(
      testEnvelope(
        'TENANT_CREATED',
        { name: `Tenant ${tenantId.slice(0, 8)}`, timezone, locale: 'en-IN' },
        { tenantId, aggregateId: tenantId, source: 'events' },
      ),
    );
  }
  messages.push(
    testEnvelope(
      'CONTRACT_ACTIVATED',
      {
        contractId,
        contractNumber: `CN-${contractId.slice(0, 6)}`,
        title: 'AMC: chillers',
        customer: { name: 'Acme Facilities', email: 'ops@acme.test', phone: opts.customerPhone ?? '+919812345678' },
        startDate: at,
        endDate: new Date(Date.now() + 365 * 86400_000).toISOString(),
        timezone,
        totalEvents: 0,
        activatedAt: at,
      },
      { tenantId, aggregateId: contractId, aggregateVersion: 2 },
    ),
  );
  const events: SeededContract['events'] = { service: [], sparePart: [], billing: [] };
  const created: Array<Record<string, unknown>> = [];
  const add = (eventType: 'service' | 'spare_part' | 'billing', bucket: string[]) => {
    const eventId = (eventType === 'service' ? serviceIds.shift() : undefined) ?? randomUUID();
    bucket.push(eventId);
    const seq = created.length + 1;
    created.push({
      eventId,
      contractId,
      taskId: `TSK-${String(seq).padStart(5, '0')}`,
      eventType,
      title: `${eventType} ${seq}`,
      status: 'scheduled',
      scheduledDate: at,
      originalDate: at,
      isUnlimited: false,
      ...(eventType === 'billing' ? { amount: '1000.00', currency: 'INR' } : {}),
    });
  };
  for (let i = 0; i < (opts.services ?? 3); i++) add('service', events.service);
  for (let i = 0; i < (opts.spareParts ?? 1); i++) add('spare_part', events.sparePart);
  for (let i = 0; i < (opts.billing ?? 1); i++) add('billing', events.billing);
  if (created.length > 0) messages.push(testEnvelope('CONTRACT_EVENTS_CREATED', { contractId, events: created }, { tenantId, aggregateId: contractId }));
  await publishRaw(env, messages);
  return { tenantId, contractId, events };
}
