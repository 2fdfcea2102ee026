import { INestApplication } from '@nestjs/common';

/**
 * Adapter over internals of Nest's RMQ server and amqp-connection-manager, for graceful shutdown: a
 * finished handler's reply may still sit on the RPC server's confirm channel, and closing the channel then
 * drops it ("Channel closed"). Neither library says when a channel has nothing left to send, so this reads:
 * - Nest: `app.getMicroservices()[i].serverInstance` (private) is the ServerRMQ, whose `channel` is its
 *   amqp-connection-manager ChannelWrapper;
 * - amqp-connection-manager: `ChannelWrapper.queueLength()` (public: messages not yet written) and
 *   `_unconfirmedMessages` (private: written, not yet confirmed by the broker).
 * A shape it does not find counts as nothing pending, so shutdown simply stops waiting. Checked against the
 * versions below; rpc-reply-backlog.spec.ts fails on any other.
 */
export const RELIES_ON = [
  { package: '@nestjs/microservices', range: '11.2.6' },
  { package: 'amqp-connection-manager', range: '4.1.15' },
] as const;

interface ChannelLike {
  queueLength(): number;
  _unconfirmedMessages?: unknown[];
}

/** The RPC server channels of an app (none if the shape differs). */
export function rpcReplyChannels(app: INestApplication): ChannelLike[] {
  const servers = ((app as unknown as { getMicroservices?: () => unknown[] }).getMicroservices?.() ?? []) as Array<{ serverInstance?: { channel?: unknown } }>;
  return servers.map((ms) => ms?.serverInstance?.channel).filter((ch): ch is ChannelLike => typeof (ch as ChannelLike | undefined)?.queueLength === 'function');
}

/** Replies written or not, still unconfirmed by the broker. */
export function pendingReplies(channel: ChannelLike): number {
  return channel.queueLength() + (channel._unconfirmedMessages?.length ?? 0);
}
