/**
 * Adapter over an amqplib internal: its connection multiplexer (`lib/mux.js`, class `Mux`) moves the frames
 * its channels queued to the socket in `_readIncoming`, one `socket.write` per frame. With `noDelay` (which
 * every connection of ours sets: Nagle's algorithm cost 45 ms per RPC round trip) each write is a syscall and
 * usually a TCP segment of its own, so an RPC's reply and the ack of its request went out as two. Corking the
 * socket around that one pass sends whatever the pass found in one `writev`: same frames, same order, fewer
 * segments and wake-ups on both sides. A shape it does not find is left alone (nothing breaks, nothing
 * coalesces); amqp-write-coalescing.spec.ts fails on any other version.
 */
export const RELIES_ON = { package: 'amqplib', range: '0.10.9' } as const;

interface Writable {
  cork(): void;
  uncork(): void;
}

interface MuxPrototype {
  _readIncoming(this: { out?: Writable }): void;
  [PATCHED]?: true;
}

const PATCHED = Symbol.for('cn.amqp-write-coalescing');

/** Installs the coalescing once per process; answers whether it is in place. */
export function coalesceAmqpWrites(): boolean {
  const proto = muxPrototype();
  if (!proto || typeof proto._readIncoming !== 'function') return false;
  if (proto[PATCHED]) return true;
  const readIncoming = proto._readIncoming;
  proto._readIncoming = function (this: { out?: Writable }) {
    const out = this.out;
    if (!out || typeof out.cork !== 'function') return readIncoming.call(this);
    out.cork();
    try {
      readIncoming.call(this);
    } finally {
      out.uncork();
    }
  };
  proto[PATCHED] = true;
  return true;
}

function muxPrototype(): MuxPrototype | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module of amqplib, not in its typings
    const mux = require('amqplib/lib/mux') as { Mux?: { prototype: MuxPrototype } };
    return mux.Mux?.prototype;
  } catch {
    return undefined;
  }
}
