import { Attributes, Context, context, isSpanContextValid, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';

/**
 * Traces across every hop of a request: HTTP → RPC → outbox → broker → consumer → provider call.
 *
 * One carrier: the W3C `traceparent` of the work in progress travels in the RequestContext (which already
 * crosses every hop: the RPC request, the envelope via the outbox, the consumer's context, a JTD job's row),
 * in the envelope's `metadata.traceparent` and the AMQP `traceparent` header. Each hop opens a span whose
 * parent is the incoming traceparent and hands the span's own traceparent on; parents are passed
 * explicitly, so the chain holds whether or not an async context manager is installed.
 *
 * With no tracer provider registered (the default: see tracing-setup.ts) spans are non-recording and cost
 * next to nothing, and an incoming traceparent is handed on unchanged. Only the API is loaded here; the
 * W3C format (version 00) is small enough to read and write without the SDK's propagator.
 */
const TRACER = 'contractnest';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A traceparent from an HTTP or AMQP header value, when it is a valid one. */
export function traceparentHeader(value: unknown): string | undefined {
  return typeof value === 'string' && contextOf(value) !== ROOT_CONTEXT ? value : undefined;
}

/** The OpenTelemetry context whose parent is `traceparent` (the root context when there is none or it is malformed). */
export function contextOf(traceparent: string | undefined): Context {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!m) return ROOT_CONTEXT;
  const spanContext = { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16) & TraceFlags.SAMPLED, isRemote: true };
  return isSpanContextValid(spanContext) ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT;
}

/** The W3C traceparent of a span, or undefined when it has no valid trace (tracing off and nothing incoming). */
export function traceparentOf(span: Span): string | undefined {
  const c = span.spanContext();
  if (!isSpanContextValid(c)) return undefined;
  return `00-${c.traceId}-${c.spanId}-${(c.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0')}`;
}

/** The traceparent of the span active in this async context (set by `inSpan` when tracing is on), if any. */
export function activeTraceparent(): string | undefined {
  const span = trace.getSpan(context.active());
  return span ? traceparentOf(span) : undefined;
}

export interface SpanOptions {
  kind: SpanKind;
  /** The incoming W3C traceparent. */
  parent: string | undefined;
  attributes?: Attributes;
}

/** A span that the caller ends (for work that does not fit one callback, such as an HTTP exchange). */
export function startSpan(name: string, options: SpanOptions): Span {
  return trace.getTracer(TRACER).startSpan(name, { kind: options.kind, attributes: options.attributes }, contextOf(options.parent));
}

/**
 * Runs `fn` in a span (active as well, so standard instrumentations such as pg nest under it when they are
 * on); `fn` gets the span's traceparent to hand on. An exception marks the span as an error and is rethrown.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (traceparent: string | undefined, span: Span) => Promise<T>): Promise<T> {
  const span = startSpan(name, options);
  try {
    return await context.with(trace.setSpan(contextOf(options.parent), span), () => fn(traceparentOf(span) ?? options.parent, span));
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

export { SpanKind };
