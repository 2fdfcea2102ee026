import { existsSync } from 'node:fs';
import path from 'node:path';
import { BenchContext } from './context';
import { HttpClient } from './http-client';
import { ROOT, stackEnv, stackServices } from './repo';
import { AppProcess, freePort, startProcess, stopProcess } from './stack';

/**
 * The per-tenant rate limit (6,000 a minute by default) is a product policy, not what the bench measures:
 * every scenario runs as one tenant, and a faster gateway would otherwise measure its own 429s.
 */
const BENCH_GATEWAY_ENV: Record<string, string> = { RATE_LIMIT_PER_MINUTE: '100000000' };

/** The node options `npm start` gives an app (scripts/lib/stack.js: heap sizing), so both run the same. */
function appNodeArgs(name: string): string[] {
  const file = path.join(ROOT, 'scripts', 'lib', 'stack.js');
  if (!existsSync(file)) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JS outside the compiled tree
  return (require(file) as { appNodeArgs?: (name: string) => string[] }).appNodeArgs?.(name) ?? [];
}

/**
 * Starts the four apps as `npm start` does, one process each, on free ports, against the bench database
 * and a namespace of its own. Logs are at warn so that log writing is not what we measure.
 * `BENCH_CPU_PROF=gateway,events` runs those apps with `--cpu-prof`; the profiles land beside the logs
 * when the apps stop (open them in Chrome DevTools or speedscope). `BENCH_NODE_ARGS` adds node options to
 * every app (e.g. V8 heap flags to compare; a later flag wins over the same one from scripts/lib/stack.js).
 */
export async function startStack(b: BenchContext, extraEnv: Record<string, Record<string, string>> = {}): Promise<AppProcess[]> {
  const { SERVICES, rolePassword } = stackServices();
  const started: AppProcess[] = [];
  const ours = (port: number, extra: Record<string, string>) => ({
    BROKER_NAMESPACE: b.namespace,
    BROKER_QUEUE_EXPIRES_MS: '600000',
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    JWT_SECRET: b.jwtSecret,
    ...extra,
  });
  // The environment `npm start` gives each app (scripts/lib/stack.js), with the bench's namespace, ports,
  // secret and log level on top; without that helper, the same variables by hand.
  const npmStartEnv = stackEnv();
  const appEnv = (s: (typeof SERVICES)[number], port: number, extra: Record<string, string>): Record<string, string> =>
    npmStartEnv
      ? ({ ...process.env, ...npmStartEnv(s, { databaseUrl: b.databaseUrl, amqpUrl: b.amqpUrl, extra: ours(port, extra) }) } as Record<string, string>)
      : {
          ...(process.env as Record<string, string>),
          NODE_ENV: 'development',
          DATABASE_URL: b.appDatabaseUrl,
          AMQP_URL: b.amqpUrl,
          ...(s.name === 'gateway' ? {} : { DB_USER: s.role, DB_PASSWORD: rolePassword(s) }),
          ...ours(port, extra),
        };
  const profiled = (process.env.BENCH_CPU_PROF ?? '').split(',').map((n) => n.trim());
  const benchArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  try {
    const withPorts = await Promise.all(SERVICES.map(async (s) => ({ s, port: await freePort() })));
    const results = await Promise.allSettled(
      withPorts.map(({ s, port }) =>
        startProcess({
          name: s.name,
          distDir: b.distDir,
          entry: `apps/${s.name}/src/main.ts`,
          port,
          logDir: b.logDir,
          timeoutMs: 120000,
          nodeArgs: [
            ...appNodeArgs(s.name),
            ...benchArgs,
            ...(profiled.includes(s.name) ? ['--cpu-prof', `--cpu-prof-dir=${b.logDir}/cpu-prof-${s.name}`] : []),
          ],
          env: appEnv(s, port, { ...(s.name === 'gateway' ? BENCH_GATEWAY_ENV : {}), ...(extraEnv[s.name] ?? {}) }),
        }).then((app) => {
          started.push(app);
          return app;
        }),
      ),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) throw new Error(failed.map((f) => (f.reason as Error).message).join('\n'));
    const gateway = started.find((a) => a.name === 'gateway')!;
    b.gatewayUrl = `http://127.0.0.1:${gateway.port}`;
    b.gateway = new HttpClient(b.gatewayUrl, 128);
    return started;
  } catch (e) {
    await Promise.all(started.map((a) => stopProcess(a)));
    throw e;
  }
}

export async function stopStack(b: BenchContext): Promise<void> {
  b.gateway?.close();
  await Promise.all(b.apps.map((a) => stopProcess(a)));
}
