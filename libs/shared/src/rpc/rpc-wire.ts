import { RpcRequest, RpcResponse } from './rpc-request';

/**
 * The RPC format on RabbitMQ, spoken by the gateway (and the services' test clients) and answered by the
 * services' RpcServer (libs/shared/src/app/rpc-server.ts). A request is JSON `{ pattern, data, id }` sent to
 * the service's queue with `replyTo` and `correlationId`; the answer is JSON `{ id, response }` on `replyTo`
 * with the same `correlationId`, or `{ id, err, status: 'error' }` when nothing handles the pattern. It is the
 * shape Nest's RMQ transport uses (a Nest client can still call a service), minus the trailing
 * `{ isDisposed: true }` packet Nest sends after each answer: one reply per call.
 */

/** RabbitMQ's pseudo-queue for replies to the channel that sent the request. */
export const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/** What a request carries besides the caller's data. */
export interface RpcPacket {
  pattern: string;
  data: RpcRequest;
  id: string;
  /**
   * The caller may send this id again after it stopped waiting for the answer (a keyed request's retry): the
   * service keeps the answer for it (messaging/request-journal.ts). Absent, only while the caller waits.
   */
  keepAnswer?: true;
}

export function encodeRpcRequest(pattern: string, data: RpcRequest, id: string, keepAnswer = false): Buffer {
  return Buffer.from(JSON.stringify((keepAnswer ? { pattern, data, id, keepAnswer } : { pattern, data, id }) satisfies RpcPacket));
}

/** A request as a service reads it; undefined when it is not one (unparseable, no pattern). */
export function decodeRpcRequest(content: Buffer): RpcPacket | undefined {
  try {
    const packet = JSON.parse(content.toString()) as Partial<RpcPacket> | null;
    return packet && typeof packet === 'object' && typeof packet.pattern === 'string' ? (packet as RpcPacket) : undefined;
  } catch {
    return undefined;
  }
}

export function encodeRpcAnswer(id: string | undefined, response: RpcResponse): Buffer {
  return Buffer.from(JSON.stringify({ id, response }));
}

/** The answer when the service has no handler for the pattern (gateway and service out of step). */
export function encodeNoHandler(id: string | undefined, pattern: string): Buffer {
  return Buffer.from(JSON.stringify({ id, err: `no handler for the pattern ${pattern}`, status: 'error' }));
}

export type RpcReply =
  /** The handler's answer. */
  | { kind: 'answer'; response: RpcResponse }
  /** The service could not run a handler (no handler for the pattern), or the reply was unreadable. */
  | { kind: 'transport-error'; error: unknown }
  /** Not an answer (a Nest server's trailing `isDisposed` packet). */
  | { kind: 'none' };

export function decodeRpcReply(content: Buffer): RpcReply {
  let reply: { err?: unknown; response?: RpcResponse };
  try {
    reply = JSON.parse(content.toString()) as typeof reply;
  } catch {
    return { kind: 'transport-error', error: 'unparseable reply' };
  }
  if (reply.err !== undefined && reply.err !== null) return { kind: 'transport-error', error: reply.err };
  if (reply.response === undefined) return { kind: 'none' };
  return { kind: 'answer', response: reply.response };
}
