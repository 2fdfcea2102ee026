import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import amqp, { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { Operation } from '../contract/operation';
import { ErrorCode } from '../errors/domain-error';
import { coalesceAmqpWrites } from '../messaging/amqp-write-coalescing';
import { JournaledRequest, RequestJournal } from '../messaging/request-journal';
import { answerRpc, OperationMethod } from '../rpc/handles.decorator';
import { RpcResponse } from '../rpc/rpc-request';
import { decodeRpcRequest, encodeNoHandler, encodeRpcAnswer } from '../rpc/rpc-wire';
import { InFlightTracker } from './in-flight';

/** An operation and the method that answers it (a `@Handles` method bound to its controller). */
export interface OperationHandler {
  op: Operation;
  call: OperationMethod<object, unknown>;
}

export interface RpcServerOptions {
  urls: string[];
  /** The service's RPC queue (durable; its replicas compete on it). */
  queue: string;
  /** Requests handled at once per replica (the broker's prefetch). */
  prefetch: number;
  /** The handlers by pattern; read at `listen`, when the app's controllers exist. */
  handlers: () => ReadonlyMap<string, OperationHandler>;
  inFlight: InFlightTracker;
  /** Makes a request delivered twice take effect once (messaging/request-journal.ts); absent, each delivery runs. */
  journal?: RequestJournal;
}

/**
 * The services' RPC server: a Nest custom transport on amqplib that answers the rpc-wire format. Written
 * instead of using Nest's ServerRMQ because the stock server cost more than the handlers it served (profiled
 * in BENCHMARKS.md): per request it ran an rxjs pipeline and the global interceptors, sent the answer on a
 * confirm channel (one broker confirm per reply) followed by a second `isDisposed` packet, and left the
 * promises of those sends unhandled (a process exit when a broker node went away, seen in `npm run chaos`).
 * Here a request is one lookup, one `answerRpc` (validation, roles, context, error mapping), then the answer
 * and the ack of the request written together (amqp-write-coalescing.ts: one socket write).
 *
 * The ack comes after the answer: a replica that dies mid-request leaves it unacknowledged, and the broker
 * gives it to another replica; an answer that cannot be sent (the channel went away) leaves the request to be
 * redelivered too, and the caller gets its answer or its timeout. The request journal makes that second run
 * answer the first one's answer instead of committing the work again.
 */
export class RpcServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('RpcServer');
  private manager?: AmqpConnectionManager;
  private channel?: ChannelWrapper;
  private handlers: ReadonlyMap<string, OperationHandler> = new Map();

  constructor(private readonly options: RpcServerOptions) {
    super();
  }

  listen(callback: (err?: unknown) => void): void {
    coalesceAmqpWrites();
    this.handlers = this.options.handlers();
    const { queue, prefetch } = this.options;
    // noDelay: with Nagle's algorithm on, a sequential RPC round trip took 45 ms instead of 0.5 ms here.
    this.manager = amqp.connect(this.options.urls, {
      heartbeatIntervalInSeconds: 5,
      reconnectTimeInSeconds: 1,
      connectionOptions: { noDelay: true, clientProperties: { connection_name: `rpc ${queue}` } } as never,
    });
    this.manager.on('disconnect', ({ err }: { err?: Error }) => this.log.warn(`broker connection lost: ${err?.message ?? 'closed'}; reconnecting`));
    this.channel = this.manager.createChannel({
      name: `rpc ${queue}`,
      confirm: false,
      json: false,
      setup: async (ch: Channel) => {
        await ch.assertQueue(queue, { durable: true });
        // Requests this channel took and did not acknowledge go to another replica, which asks the journal
        // for their answers.
        ch.once('close', () => this.options.journal?.deliveriesLost());
        await ch.prefetch(prefetch);
        await ch.consume(queue, (msg) => this.onRequest(ch, msg), { noAck: false });
      },
    });
    this.channel.on('error', (err: Error) => this.log.warn(`RPC channel error: ${err.message}`));
    this.channel.waitForConnect().then(
      () => callback(),
      (err: unknown) => callback(err),
    );
  }

  async close(): Promise<void> {
    // Requests not yet acknowledged go back to the queue for another replica.
    await this.channel?.close().catch(() => undefined);
    await this.manager?.close().catch(() => undefined);
  }

  /** Nest's hook for the transport's events: the connection manager's (connect, disconnect, blocked, …). */
  on<EventKey extends string = string, EventCallback extends Function = Function>(event: EventKey, callback: EventCallback): void {
    this.manager?.on(event as 'connect', callback as unknown as () => void);
  }

  unwrap<T>(): T {
    if (!this.manager) throw new Error('the RPC server is not listening yet');
    return this.manager as T;
  }

  private onRequest(ch: Channel, msg: ConsumeMessage | null): void {
    // null: the broker cancelled the consumer (the queue was deleted); amqp-connection-manager sets it up again.
    if (!msg) return;
    const packet = decodeRpcRequest(msg.content);
    if (!packet) {
      this.log.warn(`dropped an RPC message that is not a request (${msg.content.length} bytes)`);
      return this.settle(ch, msg, undefined);
    }
    const handler = this.handlers.get(packet.pattern);
    if (!handler) {
      this.log.warn(`no handler for the RPC pattern ${packet.pattern}`);
      return this.settle(ch, msg, encodeNoHandler(packet.id, packet.pattern));
    }
    const run = () => answerRpc(handler.op, handler.call, packet.data);
    const { journal } = this.options;
    const expiration = Number(msg.properties.expiration);
    const request: JournaledRequest = {
      id: packet.id,
      tenantId: packet.data?.ctx?.tenantId,
      pattern: packet.pattern,
      redelivered: msg.fields.redelivered,
      keepAnswer: packet.keepAnswer === true,
      expiresInMs: expiration > 0 ? expiration : undefined,
    };
    this.options.inFlight
      .track(packet.pattern, () => (journal ? journal.answer(request, run) : run()))
      .then(
        (response) => this.settle(ch, msg, answerOf(packet.id, response)),
        // answerRpc does not reject: this is the journal's database failing, or a bug of ours. The caller
        // still gets an answer.
        (err: unknown) => {
          this.log.error(`RPC ${packet.pattern} failed outside its handler: ${(err as Error)?.stack ?? String(err)}`);
          this.settle(ch, msg, answerOf(packet.id, { ok: false, error: { code: ErrorCode.INTERNAL, message: 'an unexpected error occurred' } }));
        },
      );
  }

  /** Sends the answer (if the caller asked for one) and acknowledges the request, in one socket write. */
  private settle(ch: Channel, msg: ConsumeMessage, answer: Buffer | undefined): void {
    const { replyTo, correlationId } = msg.properties as { replyTo?: string; correlationId?: string };
    try {
      if (answer && replyTo) ch.sendToQueue(replyTo, answer, { correlationId });
      ch.ack(msg);
    } catch (err) {
      // The channel closed under the request (broker node lost, shutdown): it is redelivered elsewhere.
      this.log.warn(`could not answer an RPC request (it will be redelivered): ${(err as Error).message}`);
    }
  }
}

/** The encoded answer; one that cannot be encoded (a handler returned something JSON cannot carry) becomes an INTERNAL error. */
function answerOf(id: string | undefined, response: RpcResponse): Buffer {
  try {
    return encodeRpcAnswer(id, response);
  } catch (err) {
    new Logger('RpcServer').error(`an RPC answer could not be encoded: ${(err as Error).message}`);
    return encodeRpcAnswer(id, { ok: false, error: { code: ErrorCode.INTERNAL, message: 'an unexpected error occurred' } });
  }
}
