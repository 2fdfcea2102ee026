import { RpcRequest, RpcResponse } from './rpc-request';

/**
 * Adapter over Nest's RMQ microservice protocol, spoken by hand by the gateway (and the services' test
 * clients) so that services stay plain `@MessagePattern` handlers while callers keep their own channel,
 * direct reply-to and timeouts. Relies on: ServerRMQ reading a request `{ pattern, data, id }` (JSON; no
 * `id` means an event, not a call) and answering on `replyTo` with the same `correlationId`, JSON
 * `{ response, isDisposed?, id }` for the handler's value, `{ err, status: 'error', id }` when no handler
 * has the pattern, and a trailing `{ isDisposed: true, id }` once the answer's observable completes.
 * Checked against the version below; nest-rmq-wire.spec.ts runs the installed ServerRMQ through it and fails
 * on any other version.
 */
export const RELIES_ON = { package: '@nestjs/microservices', range: '11.2.6' } as const;

/** RabbitMQ's pseudo-queue for replies to the channel that sent the request. */
export const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

export function encodeRpcRequest(pattern: string, data: RpcRequest, id: string): Buffer {
  return Buffer.from(JSON.stringify({ pattern, data, id }));
}

export type RpcReply =
  /** The handler's answer. */
  | { kind: 'answer'; response: RpcResponse }
  /** Nest could not run a handler (no handler for the pattern: gateway and service out of step), or the reply was unreadable. */
  | { kind: 'transport-error'; error: unknown }
  /** Not an answer: the trailing packet of a call already answered. */
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
