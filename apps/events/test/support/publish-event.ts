import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { declareDomainExchange, domainExchange } from '@app/shared/messaging/topology';
import { TEST_QUEUE_ARGUMENTS, TestEnvironment } from '@app/shared/testing/test-environment';

/**
 * Publishes a domain event as another service would (a tickets event, say) on the test's namespace. A payload
 * `occurredAt` dates the envelope too (a message that overtakes an older one), else now.
 */
export async function publishEvent(env: TestEnvironment, tenantId: string, type: string, payload: Record<string, unknown>, source = 'tickets') {
  const now = typeof payload.occurredAt === 'string' ? payload.occurredAt : new Date().toISOString();
  const envelope = {
    id: randomUUID(),
    type,
    version: 1,
    timestamp: now,
    occurredAt: now,
    tenantId,
    correlationId: randomUUID(),
    source,
    actor: SYSTEM_ACTORS.system,
    aggregateId: (payload.ticketId ?? payload.evidenceId ?? randomUUID()) as string,
    payload: { tenantId, occurredAt: now, ...payload },
    metadata: { version: `payload.${type}.v1` },
  };
  const conn = await connect(env.amqpUrl);
  try {
    const ch = await conn.createConfirmChannel();
    await declareDomainExchange(ch, env.namespace, TEST_QUEUE_ARGUMENTS);
    ch.publish(domainExchange(env.namespace), type, Buffer.from(JSON.stringify(envelope)), {
      persistent: true,
      messageId: envelope.id,
      contentType: 'application/json',
    });
    await ch.waitForConfirms();
    await ch.close();
  } finally {
    await conn.close();
  }
  return envelope;
}
