import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { Envelope } from '../envelope';
import { publishOptionsOf } from '../outbox-row';
import { declareDomainExchange, domainExchange } from '../topology';
import { TEST_QUEUE_ARGUMENTS, TestEnvironment } from '../../testing/test-environment';

/** A well-formed envelope of `type`, for tests that publish around the outbox. */
export function testEnvelope(type: string, payload: Record<string, unknown>, overrides: Partial<Envelope> = {}): Envelope {
  const tenantId = overrides.tenantId ?? randomUUID();
  const timestamp = new Date().toISOString();
  return {
    id: randomUUID(),
    type,
    version: 1,
    timestamp,
    occurredAt: timestamp,
    tenantId,
    correlationId: randomUUID(),
    source: 'events',
    actor: { type: 'system', id: '00000000-0000-0000-0000-000000000002', name: 'System' },
    aggregateId: randomUUID(),
    payload: { tenantId, occurredAt: timestamp, ...payload },
    metadata: { version: `payload.Test.v1` },
    ...overrides,
  };
}

/**
 * Publishes raw messages with confirms, bypassing the outbox: to the domain exchange (routing key = type) or,
 * with `queue`, straight into one queue. For messages the outbox would refuse to produce.
 */
export async function publishRaw(env: TestEnvironment, messages: (Envelope | { body: string; type: string })[], queue?: string): Promise<void> {
  const conn = await connect(env.amqpUrl, { noDelay: true });
  try {
    const ch = await conn.createConfirmChannel();
    await declareDomainExchange(ch, env.namespace, TEST_QUEUE_ARGUMENTS);
    for (const m of messages) {
      const body = 'body' in m ? m.body : JSON.stringify(m);
      const options = 'body' in m ? { persistent: true, type: m.type, messageId: randomUUID() } : publishOptionsOf(m);
      if (queue) ch.sendToQueue(queue, Buffer.from(body), options);
      else ch.publish(domainExchange(env.namespace), m.type, Buffer.from(body), options);
    }
    await ch.waitForConfirms();
    await ch.close();
  } finally {
    await conn.close();
  }
}
