import type { SpanProcessor } from '@opentelemetry/sdk-trace';

type Sdk = typeof import('./tracing-sdk');
let sdk: Sdk | undefined;

/** Whether the environment switches OTLP export on (the standard OpenTelemetry variables; off by default). */
export function otlpEnabled(env: Record<string, string | undefined>): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Registers the process's tracer provider. Called by an app's `tracing.ts`, imported first by its main.ts so
 * that the standard instrumentations (http, pg, amqplib) patch those modules before anything loads them.
 * With OTLP export on, spans go to `OTEL_EXPORTER_OTLP_ENDPOINT` (OTLP over HTTP, batched; the exporter
 * reads the other `OTEL_EXPORTER_OTLP_*` variables itself); a test passes its own processors instead.
 * Otherwise nothing is registered and every span is a no-op.
 */
export function startTracing(serviceName: string, env: Record<string, string | undefined>, processors?: SpanProcessor[]): boolean {
  if (!processors && !otlpEnabled(env)) return false;
  // A synchronous require, and only here: the SDK, exporter and instrumentations cost about 8 MB and 200 ms
  // per process, and must be in place before the app's modules load (so no dynamic import()).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk ??= require('./tracing-sdk') as Sdk;
  sdk.start(serviceName, env, processors);
  return true;
}

/** Flushes and stops the provider (graceful shutdown, and tests); the API goes back to no-op spans. */
export async function stopTracing(): Promise<void> {
  await sdk?.stop();
}
