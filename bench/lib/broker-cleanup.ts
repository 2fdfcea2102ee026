import { execFile } from 'node:child_process';
import { connect } from 'amqplib';
import { deadLetterQueue, domainExchange, parseRetryDelays, retryQueue, serviceQueue, unroutedExchange, unroutedQueue } from '@app/shared/messaging/topology';
import { rpcQueueName, SERVICES } from '@app/shared/rpc/rpc-request';

/** Every name the stack declares in a namespace, from the one place the topology is defined. */
export function knownNames(ns: string): { queues: string[]; exchanges: string[] } {
  const queues = [unroutedQueue(ns), `${ns}.bench.raw-rpc`, `${ns}.bench.raw-quorum`];
  for (const s of SERVICES) {
    queues.push(rpcQueueName(ns, s), serviceQueue(ns, s), deadLetterQueue(ns, s), ...parseRetryDelays(undefined).map((d) => retryQueue(ns, s, d)));
  }
  return { queues, exchanges: [domainExchange(ns), unroutedExchange(ns)] };
}

/** Names with the prefix according to `rabbitmqctl`, if it answers within 15 s (it can be slow on a busy broker). */
function listNames(kind: 'queues' | 'exchanges', prefix: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('rabbitmqctl', [`list_${kind}`, 'name', '--quiet', '--no-table-headers'], { encoding: 'utf8', timeout: 15000 }, (err, stdout) => {
      if (err) return resolve([]);
      resolve(
        stdout
          .split('\n')
          .map((l) => l.trim())
          .filter((n) => n.startsWith(prefix)),
      );
    });
  });
}

/**
 * Deletes every queue and exchange of the bench's broker namespace: the names the topology declares,
 * plus whatever else `rabbitmqctl` lists with the prefix (the namespace is unique to this run).
 */
export async function deleteNamespace(amqpUrl: string, namespace: string): Promise<{ queues: number; exchanges: number }> {
  const known = knownNames(namespace);
  const [listedQueues, listedExchanges] = await Promise.all([listNames('queues', `${namespace}.`), listNames('exchanges', `${namespace}.`)]);
  const queues = [...new Set([...known.queues, ...listedQueues])];
  const exchanges = [...new Set([...known.exchanges, ...listedExchanges])];
  const conn = await connect(amqpUrl, { noDelay: true, timeout: 10000 });
  let deleted = 0;
  try {
    // A channel dies with the first failed operation (e.g. 404 on a queue that does not exist): one per name.
    for (const q of queues) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      const ok = await ch.checkQueue(q).then(
        () => true,
        () => false,
      );
      if (ok) {
        const c2 = await conn.createChannel();
        c2.on('error', () => undefined);
        await c2.deleteQueue(q).then(
          () => deleted++,
          () => undefined,
        );
        await c2.close().catch(() => undefined);
      } else await ch.close().catch(() => undefined);
    }
    for (const x of exchanges) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      await ch.deleteExchange(x).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
  return { queues: deleted, exchanges: exchanges.length };
}
