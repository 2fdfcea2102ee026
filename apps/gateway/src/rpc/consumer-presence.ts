import { Injectable } from '@nestjs/common';
import type { Channel } from 'amqplib';
import { AmqpConnectionManager } from 'amqp-connection-manager';
import { BrokerConnection } from './broker-connection';

/** A running service is remembered a second; a missing one only briefly, so it is found soon after it starts. */
const PRESENT_TTL_MS = 1000;
const ABSENT_TTL_MS = 200;
/** A broker that accepts connections but does not answer must not stall calls: after this, assume present. */
const CHECK_TIMEOUT_MS = 1000;

/**
 * Whether a service has at least one instance consuming its RPC queue, so a stopped service is a quick 503
 * rather than a 504 after the full timeout. Concurrent callers share one check. Checks run on a throw-away
 * channel because asking about a missing queue closes the channel.
 */
@Injectable()
export class ConsumerPresence {
  private readonly known = new Map<string, { present: boolean; at: number }>();
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(private readonly broker: BrokerConnection) {}

  /** A remembered answer comes back as it is, not as a promise: this runs on every RPC call. */
  hasConsumers(queue: string): boolean | Promise<boolean> {
    const cached = this.known.get(queue);
    if (cached && Date.now() - cached.at < (cached.present ? PRESENT_TTL_MS : ABSENT_TTL_MS)) return cached.present;
    let check = this.inFlight.get(queue);
    if (!check) {
      check = withFallback(this.check(queue), CHECK_TIMEOUT_MS, true).finally(() => this.inFlight.delete(queue));
      this.inFlight.set(queue, check);
    }
    return check;
  }

  forget(queue: string): void {
    this.known.delete(queue);
  }

  private async check(queue: string): Promise<boolean> {
    const connection = (this.broker.manager as AmqpConnectionManager).connection;
    // Not knowing (connection dropped mid-check) must not block the call: the timeout still bounds it.
    if (!connection) return true;
    let channel: Channel | undefined;
    let present = true;
    try {
      channel = await connection.createChannel();
      channel.on('error', () => undefined);
      const reply = await channel.checkQueue(queue);
      present = reply.consumerCount > 0;
    } catch (e) {
      // 404 NOT_FOUND: the queue was never declared, so the service never started.
      present = !/NOT_FOUND|404/.test(String((e as Error)?.message));
    } finally {
      await channel?.close().catch(() => undefined);
    }
    this.known.set(queue, { present, at: Date.now() });
    return present;
  }
}

function withFallback<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      () => (clearTimeout(timer), resolve(fallback)),
    );
  });
}
