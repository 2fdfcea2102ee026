import { BrokerConnection } from './broker-connection';
import { ConsumerPresence } from './consumer-presence';

const brokerWith = (createChannel: () => Promise<unknown>) => ({ manager: { connection: { createChannel } } }) as unknown as BrokerConnection;
const channelAnswering = (answer: () => Promise<{ consumerCount: number }>) => async () => ({
  on: () => undefined,
  checkQueue: answer,
  close: async () => undefined,
});

describe('ConsumerPresence', () => {
  it('says present when the queue has a consumer and absent when it has none', async () => {
    expect(await new ConsumerPresence(brokerWith(channelAnswering(async () => ({ consumerCount: 2 })))).hasConsumers('q')).toBe(true);
    expect(await new ConsumerPresence(brokerWith(channelAnswering(async () => ({ consumerCount: 0 })))).hasConsumers('q')).toBe(false);
  });

  it('says absent when the queue was never declared (the service never started)', async () => {
    const presence = new ConsumerPresence(
      brokerWith(channelAnswering(() => Promise.reject(new Error('Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no queue"')))),
    );
    expect(await presence.hasConsumers('q')).toBe(false);
  });

  it('does not stall when the broker never answers: it assumes present and lets the RPC timeout decide', async () => {
    const presence = new ConsumerPresence(brokerWith(() => new Promise(() => undefined)));
    const started = Date.now();
    expect(await presence.hasConsumers('q')).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('shares one check between concurrent callers and remembers a present service', async () => {
    let checks = 0;
    const presence = new ConsumerPresence(brokerWith(channelAnswering(async () => (checks++, { consumerCount: 1 }))));
    await Promise.all([presence.hasConsumers('q'), presence.hasConsumers('q'), presence.hasConsumers('q')]);
    await presence.hasConsumers('q');
    expect(checks).toBe(1);
  });
});
