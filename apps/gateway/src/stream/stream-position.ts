/**
 * Where a client is in a replica's stream, as the opaque `id:` of every message, heartbeat and reset:
 * `<epoch>.<seq>.<time>` in base 36. `epoch` names one subscription of one replica (a new one at every
 * start and every broker reconnection), `seq` the last message that replica had sent when the id was
 * written, `time` when (ms, the replica's clock). The same replica resumes exactly after `seq`; another
 * replica (or this one after a reconnection) resumes by `time`, with an overlap.
 */
export interface StreamPosition {
  epoch: string;
  seq: number;
  time: number;
}

const FORMAT = /^([0-9a-z]{4,16})\.([0-9a-z]{1,11})\.([0-9a-z]{1,11})$/;

export function encodePosition(p: StreamPosition): string {
  return `${p.epoch}.${p.seq.toString(36)}.${p.time.toString(36)}`;
}

/** The position an id names, or undefined when it is not one of ours. */
export function decodePosition(id: string | undefined): StreamPosition | undefined {
  const m = id ? FORMAT.exec(id) : null;
  if (!m) return undefined;
  const seq = parseInt(m[2], 36);
  const time = parseInt(m[3], 36);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(time)) return undefined;
  return { epoch: m[1], seq, time };
}
