import { connect } from 'amqplib';

/**
 * Deletes queues and exchanges by name, skipping the ones that are not there: a channel each, since the
 * broker closes the channel a failed delete ran on.
 */
export async function deleteBrokerNames(amqpUrl: string, names: { queues: readonly string[]; exchanges: readonly string[] }): Promise<void> {
  const conn = await connect(amqpUrl);
  try {
    for (const q of names.queues) {
      const ch = await conn.createChannel();
      await ch.deleteQueue(q).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
    for (const x of names.exchanges) {
      const ch = await conn.createChannel();
      await ch.deleteExchange(x).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
  } finally {
    await conn.close();
  }
}
