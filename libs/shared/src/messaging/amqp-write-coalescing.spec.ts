import { PassThrough, Writable } from 'node:stream';
import { inRange, installedVersion } from '../testing/installed-version';
import { coalesceAmqpWrites, RELIES_ON } from './amqp-write-coalescing';

interface MuxLike {
  pipeFrom(readable: PassThrough): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the internal module the adapter patches
const { Mux } = require('amqplib/lib/mux') as { Mux: new (out: Writable) => MuxLike };

/** Two channels' frames queued in one tick, as a reply and an ack are: how many socket writes carry them. */
async function socketWritesFor(frames: string[]): Promise<string[][]> {
  const writes: string[][] = [];
  const socket = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push([chunk.toString()]);
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.map((c) => (c.chunk as Buffer).toString()));
      done();
    },
  });
  const mux = new Mux(socket);
  const channels = frames.map(() => new PassThrough({ objectMode: true }));
  for (const ch of channels) mux.pipeFrom(ch);
  frames.forEach((f, i) => channels[i].write(Buffer.from(f)));
  await new Promise((r) => setTimeout(r, 20));
  return writes;
}

describe('amqplib write coalescing', () => {
  it(`was checked against the installed ${RELIES_ON.package} (${RELIES_ON.range}; after an upgrade, check lib/mux.js and widen the range)`, () => {
    expect(inRange(installedVersion(RELIES_ON.package), RELIES_ON.range)).toBe(true);
  });

  it('sends the frames of one multiplexer pass in one socket write, in order', async () => {
    expect(await socketWritesFor(['reply', 'ack'])).toEqual([['reply'], ['ack']]);
    expect(coalesceAmqpWrites()).toBe(true);
    expect(coalesceAmqpWrites()).toBe(true);
    expect(await socketWritesFor(['reply', 'ack'])).toEqual([['reply', 'ack']]);
  });
});
