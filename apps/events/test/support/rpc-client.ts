import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import type { Operation } from '@app/shared/contract/operation';
import { Actor } from '@app/shared/context/actor';
import { RequestContext, Role } from '@app/shared/context/request-context';
import { decodeRpcReply, DIRECT_REPLY_TO, encodeRpcRequest } from '@app/shared/rpc/rpc-wire';
import { rpcQueueName, RpcResponse } from '@app/shared/rpc/rpc-request';
import type { TestEnvironment } from '@app/shared/testing/test-environment';

export interface EventsRpc {
  /**
   * Calls an operation as a user of `tenantId`; resolves with the raw RpcResponse (ok or error). The input
   * is not typed: this is how tests send what a client should not.
   */
  call<O>(op: Operation<object, O>, input: unknown, ctx?: Partial<RequestContext>): Promise<RpcResponse<O>>;
  /** Like call with a well-formed input, but returns the answer and throws on an error answer. */
  ok<I extends object, O>(op: Operation<I, O>, input: I, ctx?: Partial<RequestContext>): Promise<O>;
  close(): Promise<void>;
}

export function userContext(tenantId: string, roles: Role[] = ['admin'], actor?: Partial<Actor>): RequestContext {
  return {
    tenantId,
    actor: { type: 'user', id: actor?.id ?? '11111111-1111-4111-8111-111111111111', name: actor?.name ?? 'Asha Admin' },
    roles,
    correlationId: randomUUID(),
  };
}

/** Speaks Nest's RMQ protocol (libs/shared/src/rpc/rpc-wire.ts) over direct reply-to, as the gateway does, to the events service's RPC queue. */
export async function eventsRpc(env: TestEnvironment, defaultCtx: RequestContext): Promise<EventsRpc> {
  const conn = await connect(env.amqpUrl, { noDelay: true });
  const ch = await conn.createChannel();
  const pending = new Map<string, (r: RpcResponse) => void>();
  await ch.consume(
    DIRECT_REPLY_TO,
    (msg) => {
      if (!msg) return;
      const reply = decodeRpcReply(msg.content);
      const id = msg.properties.correlationId as string;
      const resolve = pending.get(id);
      // the trailing `isDisposed` packet of an answered call is no answer
      if (!resolve || reply.kind === 'none') return;
      pending.delete(id);
      resolve(reply.kind === 'answer' ? reply.response : ({ ok: false, error: { code: 'INTERNAL', message: JSON.stringify(reply.error) } } as RpcResponse));
    },
    { noAck: true },
  );
  const queue = rpcQueueName(env.namespace, 'events');
  const call = <O>(op: Operation<object, O>, body: unknown, ctx: Partial<RequestContext> = {}): Promise<RpcResponse<O>> =>
    new Promise((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`RPC ${op.pattern} timed out`));
      }, 20_000);
      pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r as RpcResponse<O>);
      });
      ch.sendToQueue(queue, encodeRpcRequest(op.pattern, { ctx: { ...defaultCtx, ...ctx }, body }, id), {
        replyTo: DIRECT_REPLY_TO,
        correlationId: id,
      });
    });
  return {
    call,
    async ok<I extends object, O>(op: Operation<I, O>, input: I, ctx?: Partial<RequestContext>) {
      const r = await call<O>(op as Operation<object, O>, input, ctx);
      if (!r.ok) throw new Error(`${op.name} failed: ${JSON.stringify(r.error)}`);
      return r.data;
    },
    async close() {
      await ch.close().catch(() => undefined);
      await conn.close().catch(() => undefined);
    },
  };
}
