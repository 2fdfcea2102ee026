import { HttpClient } from '../lib/http-client';
import { measureHttp } from '../lib/autocannon-load';
import { Measurement } from '../lib/result';
import { freePort, startProcess, stopProcess } from '../lib/stack';
import { BenchContext } from '../lib/context';

/** NestJS + Fastify returning a constant, driven by the same load generator (autocannon) and connection count as the gateway. */
export async function httpBaseline(b: BenchContext): Promise<Measurement[]> {
  const port = await freePort();
  const server = await startProcess({
    name: 'raw-http',
    distDir: b.distDir,
    entry: 'bench/baselines/hello-server.main.ts',
    env: { HTTP_PORT: String(port) },
    port,
    logDir: b.logDir,
  });
  b.extraPids['raw-http'] = server.pid;
  const client = new HttpClient(`http://127.0.0.1:${port}`, b.opts.connections);
  try {
    const ms = await measureHttp(b, {
      key: 'raw.http',
      label: 'NestJS/Fastify constant',
      client,
      connections: b.opts.connections,
      warmupMs: b.opts.warmupMs,
      durationMs: b.opts.durationMs,
      next: () => ({ method: 'GET', path: '/hello' }),
    });
    const rssMb = b.rss.now()['raw-http'];
    return ms.map((m) => ({ ...m, extra: { ...m.extra, rssMb } }));
  } finally {
    client.close();
    delete b.extraPids['raw-http'];
    await stopProcess(server);
  }
}
