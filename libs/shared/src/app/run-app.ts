import { INestApplication } from '@nestjs/common';
import { ConfigError } from '../config/load-config';
import { stopTracing } from '../observability/tracing-setup';
import { closeApp } from './create-service-app';

/**
 * Entry point of every app's main.ts: a bad configuration stops the process with the variables' names
 * and a non-zero code; SIGINT/SIGTERM close the app cleanly (consumers first, then in-flight work, then
 * connections) and exit 0.
 */
export function runApp(name: string, start: () => Promise<INestApplication>): void {
  let app: INestApplication | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(JSON.stringify({ level: 'info', time: new Date().toISOString(), service: name, msg: `${signal} received, shutting down` }) + '\n');
    const force = setTimeout(() => process.exit(1), 15000);
    force.unref();
    try {
      if (app) await closeApp(app);
      // Spans still batched are exported before the process goes.
      await stopTracing();
      process.exit(0);
    } catch (e) {
      process.stderr.write(JSON.stringify({ level: 'error', time: new Date().toISOString(), service: name, msg: 'shutdown failed', err: String(e) }) + '\n');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A bug that escapes every handler leaves the process in an unknown state: say so as a JSON line (the
  // log pipeline would drop Node's plain-text trace) and exit so the supervisor restarts it.
  const crash = (kind: string) => (err: unknown) => {
    process.stderr.write(
      JSON.stringify({
        level: 'fatal',
        time: new Date().toISOString(),
        service: name,
        msg: `${kind}: ${(err as Error)?.message ?? String(err)}`,
        stack: (err as Error)?.stack,
      }) + '\n',
    );
    process.exit(1);
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled rejection'));

  start()
    .then((a) => {
      app = a;
      if (stopping) void closeApp(a).then(() => process.exit(0));
    })
    .catch((err) => {
      const msg = err instanceof ConfigError ? err.message : `failed to start: ${(err as Error)?.stack ?? String(err)}`;
      process.stderr.write(
        JSON.stringify({
          level: 'fatal',
          time: new Date().toISOString(),
          service: name,
          msg,
          variables: err instanceof ConfigError ? Object.keys(err.problems) : undefined,
        }) + '\n',
      );
      process.exit(1);
    });
}
