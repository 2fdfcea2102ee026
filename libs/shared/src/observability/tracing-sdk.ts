import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

let provider: TracerProvider | undefined;

/** The SDK half of tracing-setup.ts, loaded only when tracing is on. */
export function start(serviceName: string, env: Record<string, string | undefined>, processors?: SpanProcessor[]): void {
  if (provider) return;
  const spanProcessors = processors ?? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })];
  provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }), spanProcessors });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  if (!processors)
    registerInstrumentations({
      tracerProvider: provider,
      instrumentations: [new HttpInstrumentation(), new PgInstrumentation(), new AmqplibInstrumentation()],
    });
}

export async function stop(): Promise<void> {
  const p = provider;
  provider = undefined;
  if (!p) return;
  await p.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}
