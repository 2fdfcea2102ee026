import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { Operation } from '@app/shared/contract/operation';
import { decodeRpcReply, DIRECT_REPLY_TO, encodeRpcRequest } from '@app/shared/rpc/rpc-wire';
import { rpcQueueName, RpcRequest, RpcResponse, ServiceName } from '@app/shared/rpc/rpc-request';
import { GatewayConfig } from '../gateway.config';
import { BrokerConnection } from './broker-connection';
import { errorFromPayload, serviceTimeout, serviceUnavailable } from './rpc-errors';
import { ConsumerPresence } from './consumer-presence';

interface Pending {
  service: ServiceName;
  resolve: (r: RpcResponse) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface RpcCallOptions {
  /** Overrides RPC_TIMEOUT_MS for this call. */
  timeoutMs?: number;
  /** Which service answers an operation every service serves (`handler: 'each-service'`). */
  service?: ServiceName;
  /**
   * The request's id (default: a new one). A call with the id of an earlier call that took effect gets that
   * call's answer from the service's request journal, not a second effect: keyed retries use this. A call
   * given an id asks the service to keep its answer for such a retry (`keepAnswer`).
   */
  requestId?: string;
}

/**
 * Calls a service over RabbitMQ RPC. Resolves with the service's data; rejects with a DomainError that the
 * problem+json filter maps to a status (domain error codes → 4xx, no answer in time → 504, broker or
 * service down → 503).
 *
 * Speaks the services' RPC format (libs/shared/src/rpc/rpc-wire.ts, answered by their RpcServer). Replies come back over RabbitMQ's
 * direct reply-to: no reply queue to declare or clean up, one consumer for every call in flight.
 * Each request expires after the timeout, so a service that comes back late never runs a stale command.
 */
@Injectable()
export class ServiceRpc implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ServiceRpc');
  private readonly pending = new Map<string, Pending>();
  private channel!: ChannelWrapper;
  private readonly roundTrip;

  constructor(
    private readonly broker: BrokerConnection,
    private readonly config: GatewayConfig,
    private readonly presence: ConsumerPresence,
    metrics: MetricsService,
  ) {
    this.roundTrip = metrics.histogram({
      name: 'gateway_rpc_duration_seconds',
      help: 'Round trip of gateway RPC calls by service, pattern and outcome',
      labelNames: ['service', 'pattern', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  onModuleInit() {
    this.channel = this.broker.manager.createChannel({
      name: 'gateway-rpc',
      confirm: false,
      setup: (ch: Channel) => ch.consume(DIRECT_REPLY_TO, (msg) => this.onReply(msg), { noAck: true }),
    });
    // A channel-level failure (e.g. the broker closed it) is logged; the wrapper re-creates the channel.
    this.channel.on('error', (err) => this.logger.warn(`RPC channel error: ${(err as Error).message}`));
  }

  /**
   * Runs after the HTTP server has closed, i.e. after in-flight requests got their replies, so a graceful
   * stop never cuts a call short; whatever still waits then is answered 503.
   */
  onApplicationShutdown() {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(serviceUnavailable(p.service, 'gateway shutting down'));
      this.pending.delete(id);
    }
    // The channel closes with the connection (BrokerConnection): closing it here as well, concurrently
    // with the connection, left ChannelWrapper.close() waiting forever.
  }

  /** Runs an operation in the service that handles it, with the caller's context; resolves with its output. */
  async call<I extends object, O>(op: Operation<I, O>, ctx: RequestContext, input: I, options: RpcCallOptions = {}): Promise<O> {
    const service = op.handler === 'each-service' ? options.service : op.handler;
    if (!service || service === 'gateway') throw new Error(`operation ${op.name} is not answered by one service; name it`);
    const pattern = op.pattern;
    const body = input;
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      const response = await this.roundTripOf(service, pattern, ctx, body, options.timeoutMs ?? this.config.RPC_TIMEOUT_MS, options.requestId);
      if (!response || typeof response !== 'object' || !('ok' in response)) {
        throw new DomainError(ErrorCode.INTERNAL, `the ${service} service gave a malformed answer`);
      }
      if (!response.ok) {
        outcome = response.error?.code ?? 'error';
        throw errorFromPayload(response.error);
      }
      return response.data as O;
    } catch (e) {
      if (outcome === 'ok') outcome = e instanceof DomainError ? e.code : 'error';
      throw e;
    } finally {
      this.roundTrip.observe({ service, pattern, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async roundTripOf(
    service: ServiceName,
    pattern: string,
    ctx: RequestContext,
    body: unknown,
    timeoutMs: number,
    requestId?: string,
  ): Promise<RpcResponse> {
    const id = requestId ?? randomUUID();
    if (!this.broker.isConnected()) throw serviceUnavailable(service, 'message broker unreachable');
    const queue = rpcQueueName(this.config.BROKER_NAMESPACE, service);
    const deadline = Date.now() + timeoutMs;
    const present = this.presence.hasConsumers(queue);
    if (!(typeof present === 'boolean' ? present : await present)) throw serviceUnavailable(service, 'no running instance');
    // The presence check is bounded too; whatever it took comes out of this call's budget.
    const remainingMs = Math.max(1, deadline - Date.now());

    const data: RpcRequest = { ctx, body };
    const packet = encodeRpcRequest(pattern, data, id, requestId !== undefined);
    return new Promise<RpcResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        // Possibly every instance died since the last presence check: look again on the next call.
        this.presence.forget(queue);
        reject(serviceTimeout(service, timeoutMs));
      }, remainingMs);
      this.pending.set(id, { service, resolve, reject, timer });
      this.channel
        .sendToQueue(queue, packet, {
          replyTo: DIRECT_REPLY_TO,
          correlationId: id,
          expiration: String(remainingMs),
          // Not persistent: a request is worthless after its timeout, and one the broker lost in a restart
          // ends in that timeout either way; persisting it cost the broker a disk write per call.
          persistent: false,
          contentType: 'application/json',
        })
        .catch((err: Error) => {
          const p = this.pending.get(id);
          if (!p) return;
          clearTimeout(p.timer);
          this.pending.delete(id);
          this.logger.warn(`cannot publish to ${queue}: ${err.message}`);
          reject(serviceUnavailable(service, 'message broker unreachable'));
        });
    });
  }

  private onReply(msg: ConsumeMessage | null) {
    if (!msg) return;
    const id = msg.properties.correlationId as string | undefined;
    const p = id ? this.pending.get(id) : undefined;
    // A reply after the timeout, or the trailing `isDisposed` packet of a call already answered.
    if (!id || !p) return;
    const reply = decodeRpcReply(msg.content);
    if (reply.kind === 'none') return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    if (reply.kind === 'transport-error') {
      // Nest's transport-level failure, e.g. no handler for the pattern (gateway and service out of step).
      this.logger.error(`${p.service} answered with a transport error: ${JSON.stringify(reply.error)}`);
      p.reject(new DomainError(ErrorCode.INTERNAL, `the ${p.service} service could not handle the request`));
      return;
    }
    p.resolve(reply.response);
  }
}
