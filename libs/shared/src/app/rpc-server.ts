import { Logger } from '@nestjs/common';
import { ServerRMQ } from '@nestjs/microservices';

/** What this adapter relies on in the library (checked by rpc-server.spec.ts; widen after checking an upgrade). */
export const RELIES_ON = [{ package: '@nestjs/microservices', range: '>=11.0.0 <12.0.0' }];

type Promising = (...args: unknown[]) => unknown;

/**
 * Nest's RMQ server, minus two stray rejections. ServerRMQ neither awaits nor catches the promise of the
 * reply it sends (`this.channel.sendToQueue` in `sendMessage`) nor of `channel.consume` in `setupChannel`.
 * When the broker node a replica is connected to goes away mid-call, both reject; unhandled, they end the
 * process (run-app.ts exits on an unhandled rejection, as it should for bugs of our own) — seen in
 * `npm run chaos` at every node loss. Here they are logged: amqp-connection-manager reconnects and runs the
 * setup again, the caller of a lost reply gets its timeout (504), and the unacknowledged request is
 * redelivered to a replica that is still connected.
 */
export class RpcServer extends ServerRMQ {
  private readonly strays = new Logger('RpcServer');
  private readonly guarded = new WeakSet<object>();

  override async setupChannel(channel: unknown, callback: () => void): Promise<void> {
    this.guard(channel, 'consume', 'starting to consume');
    return super.setupChannel(channel, callback);
  }

  override sendMessage<T = unknown>(message: T, replyTo: unknown, correlationId: string, context: Parameters<ServerRMQ['sendMessage']>[3]): void {
    this.guard(this.channel, 'sendToQueue', 'sending a reply');
    super.sendMessage(message, replyTo, correlationId, context);
  }

  /** Wraps `method` of `target` once so that the promise it returns has a handler that logs its rejection. */
  private guard(target: unknown, method: string, what: string): void {
    if (!target || typeof target !== 'object' || this.guarded.has(target)) return;
    const host = target as Record<string, Promising>;
    const original = host[method];
    if (typeof original !== 'function') return;
    this.guarded.add(target);
    host[method] = (...args: unknown[]) => {
      const result = original.apply(target, args);
      if (result instanceof Promise)
        result.catch((err: Error) => this.strays.warn(`${what} failed (the broker connection went away?): ${err?.message ?? String(err)}`));
      return result;
    };
  }
}
