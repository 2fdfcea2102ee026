import { randomUUID } from 'node:crypto';
import { rpcQueueName } from '@app/shared/rpc/rpc-request';
import { closedLoop } from '../baselines/rabbitmq.baseline';
import { BenchContext } from '../lib/context';
import { measureHttp } from '../lib/autocannon-load';
import { Measurement } from '../lib/result';
import { ServiceRpcClient } from '../lib/service-rpc-client';
import { getEvent } from '@app/shared/api/events/contract-events.operations';
import { route } from './contracts';

/**
 * GET /v1/events/{id} over 10 keep-alive connections, cycling through the seeded events; then the same
 * read as a direct RPC to the events service with as many calls in flight, which splits the time between
 * the gateway and the service.
 */
export async function readEventScenario(b: BenchContext): Promise<Measurement[]> {
  const seed = b.seed!;
  const headers = { authorization: `Bearer ${seed.adminToken}` };
  await route('read an event', () => b.gateway!.json('GET', `/v1/events/${seed.eventIds[0]}`, seed.adminToken));
  let i = 0;
  const viaGateway = await measureHttp(b, {
    key: 'gateway.read-event',
    label: `GET /v1/events/{id}, ${b.opts.connections} connections`,
    client: b.gateway!,
    connections: b.opts.connections,
    warmupMs: b.opts.warmupMs,
    durationMs: b.opts.durationMs,
    next: () => ({ method: 'GET', path: `/v1/events/${seed.eventIds[i++ % seed.eventIds.length]}`, headers }),
  });

  const rpc = await new ServiceRpcClient(b.amqpUrl, rpcQueueName(b.namespace, 'events')).open();
  try {
    const ctx = { tenantId: seed.tenantId, actor: { type: 'user', id: randomUUID(), name: 'Bench Admin' }, roles: ['admin'], correlationId: randomUUID() };
    let j = 0;
    const direct = await closedLoop(
      b,
      'service.read-event.rpc',
      `getEvent direct RPC (no gateway), ${b.opts.connections} in flight`,
      b.opts.connections,
      async () => {
        await rpc.call(getEvent.pattern, ctx, { id: seed.eventIds[j++ % seed.eventIds.length] });
      },
      'req/s',
    );
    direct.notes = 'the events service alone: gateway.read-event minus this is the gateway';
    return [...viaGateway, direct];
  } finally {
    await rpc.close();
  }
}
