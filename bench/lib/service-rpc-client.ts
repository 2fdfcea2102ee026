import type { RpcResponse } from '@app/shared/rpc/rpc-request';
import { randomUUID } from 'node:crypto';
import { Channel, ChannelModel, connect } from 'amqplib';

/**
 * Calls a service's RPC queue directly, as the gateway does (rpc-wire packet `{ pattern, data, id }`,
 * direct reply-to, not persistent), without the gateway: the difference between this and the same call
 * through the gateway is what the gateway's HTTP, auth and validation cost.
 */
export class ServiceRpcClient {
  private conn?: ChannelModel;
  private ch?: Channel;
  private readonly pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly amqpUrl: string,
    private readonly queue: string,
  ) {}

  async open(): Promise<this> {
    this.conn = await connect(this.amqpUrl, { noDelay: true });
    this.ch = await this.conn.createChannel();
    await this.ch.consume(
      'amq.rabbitmq.reply-to',
      (msg) => {
        if (!msg) return;
        const p = this.pending.get(msg.properties.correlationId);
        if (!p) return;
        const reply = JSON.parse(msg.content.toString()) as { err?: unknown; response?: RpcResponse };
        // Nest follows an answer with an `isDisposed` packet that carries neither.
        if (reply.response === undefined && (reply.err === undefined || reply.err === null)) return;
        clearTimeout(p.timer);
        this.pending.delete(msg.properties.correlationId);
        if (reply.err !== undefined && reply.err !== null) p.reject(new Error(`transport error: ${JSON.stringify(reply.err)}`));
        else if (reply.response?.ok === false) p.reject(new Error(`${reply.response.error?.code}: ${reply.response.error?.message}`));
        else p.resolve(reply.response?.ok ? reply.response.data : undefined);
      },
      { noAck: true },
    );
    return this;
  }

  call<T = unknown>(pattern: string, ctx: unknown, body: unknown, timeoutMs = 10000): Promise<T> {
    const id = randomUUID();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${pattern} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject, timer });
      this.ch!.sendToQueue(this.queue, Buffer.from(JSON.stringify({ pattern, data: { ctx, body }, id })), {
        replyTo: 'amq.rabbitmq.reply-to',
        correlationId: id,
        persistent: false,
        contentType: 'application/json',
      });
    });
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    await this.conn?.close().catch(() => undefined);
  }
}
