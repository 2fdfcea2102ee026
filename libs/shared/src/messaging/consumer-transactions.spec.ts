import type { ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { RegisteredHandler, runsOf, Work } from './consumer-transactions';
import { NOT_DEFERRED } from './aggregate-order';
import { Envelope } from './envelope';

const plain: RegisteredHandler = { name: 'plain', ordered: false, call: () => undefined };
const batch: RegisteredHandler = { name: 'batch', ordered: false, call: () => undefined, batch: () => undefined };

function work(type: string, handlers: RegisteredHandler[]): Work {
  return { delivery: { msg: {} as ConsumeMessage }, env: { id: randomUUID(), type } as Envelope, handlers, wait: NOT_DEFERRED };
}

describe('runsOf', () => {
  it('groups consecutive messages of one batch type, keeps every other message alone, and keeps the delivery order', () => {
    const w = [
      work('A', [batch]),
      work('A', [batch]),
      work('B', [plain]),
      work('A', [batch]),
      work('C', [batch]),
      work('C', [batch]),
      work('D', [batch, plain]),
      work('D', [batch, plain]),
    ];
    expect(runsOf(w)).toEqual([[w[0], w[1]], [w[2]], [w[3]], [w[4], w[5]], [w[6]], [w[7]]]);
    expect(runsOf(w).flat()).toEqual(w);
  });

  it('never groups plain handlers', () => {
    const w = [work('A', [plain]), work('A', [plain])];
    expect(runsOf(w)).toEqual([[w[0]], [w[1]]]);
  });
});
