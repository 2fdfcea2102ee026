import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { contextOf, inSpan, startSpan, traceparentHeader, traceparentOf } from './tracing';
import { startTracing, stopTracing } from './tracing-setup';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('traceparent', () => {
  it('accepts a W3C traceparent and refuses malformed, all-zero or other-version ones', () => {
    expect(traceparentHeader(PARENT)).toBe(PARENT);
    for (const bad of [
      undefined,
      42,
      '',
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331',
      '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
      '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01',
    ])
      expect(traceparentHeader(bad)).toBeUndefined();
  });

  it('with tracing off hands an incoming traceparent on unchanged, and invents none', async () => {
    await expect(inSpan('x', { kind: SpanKind.INTERNAL, parent: PARENT }, async (tp) => tp)).resolves.toBe(PARENT);
    await expect(inSpan('x', { kind: SpanKind.INTERNAL, parent: undefined }, async (tp) => tp)).resolves.toBeUndefined();
    expect(traceparentOf(startSpan('x', { kind: SpanKind.INTERNAL, parent: undefined }))).toBeUndefined();
    expect(contextOf('garbage')).toBe(contextOf(undefined));
  });
});

describe('spans with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => startTracing('unit', {}, [new SimpleSpanProcessor({ exporter })]));
  afterAll(() => stopTracing());
  beforeEach(() => exporter.reset());

  it('chains hops through the traceparents they hand on: one trace, each span the child of the previous', async () => {
    await inSpan('http', { kind: SpanKind.SERVER, parent: PARENT }, (tp1) =>
      inSpan('rpc', { kind: SpanKind.SERVER, parent: tp1 }, (tp2) => inSpan('process', { kind: SpanKind.CONSUMER, parent: tp2 }, async () => undefined)),
    );
    const [process, rpc, http] = exporter.getFinishedSpans();
    expect([http.name, rpc.name, process.name]).toEqual(['http', 'rpc', 'process']);
    const traceId = PARENT.split('-')[1];
    for (const s of [http, rpc, process]) expect(s.spanContext().traceId).toBe(traceId);
    expect(http.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(rpc.parentSpanContext?.spanId).toBe(http.spanContext().spanId);
    expect(process.parentSpanContext?.spanId).toBe(rpc.spanContext().spanId);
  });

  it('starts a new trace without a parent, and marks a span whose work throws as an error', async () => {
    await expect(
      inSpan('fails', { kind: SpanKind.INTERNAL, parent: undefined }, async (tp) => {
        expect(traceparentHeader(tp)).toBe(tp);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const [span] = exporter.getFinishedSpans();
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.status).toMatchObject({ code: 2, message: 'boom' });
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
  });
});
