import http from 'node:http';
import { AddressInfo } from 'node:net';
import { callProvider, classifyHttp } from './provider-http';

/** A local provider: answers each request after `delayMs` (never, with Infinity), as the test sets it. */
describe('callProvider against a local HTTP server', () => {
  let server: http.Server;
  let base: string;
  let delayMs = 0;
  let answer: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
  const held: http.ServerResponse[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        if (delayMs === Infinity) return void held.push(res);
        setTimeout(() => answer(req, body, res), delayMs);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    delayMs = 0;
    for (const res of held.splice(0)) res.destroy();
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the method, path, query, headers and JSON body, and parses a JSON answer', async () => {
    answer = (req, body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': String(req.headers.authkey) });
      res.end(JSON.stringify({ method: req.method, url: req.url, type: req.headers['content-type'], body: JSON.parse(body) }));
    };
    const res = await callProvider(
      { method: 'POST', url: `${base}/api/v5/flow?x=1`, headers: { 'content-type': 'application/json', authkey: 'k-1' }, body: { a: 1 } },
      1000,
    );
    expect(res.status).toBe(200);
    expect(res.headers['x-echo']).toBe('k-1');
    expect(res.body).toEqual({ method: 'POST', url: '/api/v5/flow?x=1', type: 'application/json', body: { a: 1 } });
  });

  it('keeps a body that is not JSON as text, and reads Retry-After from the answer', async () => {
    answer = (_req, _body, res) => {
      res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '7' });
      res.end('<h1>down</h1>');
    };
    const res = await callProvider({ method: 'POST', url: `${base}/send`, headers: {}, body: {} }, 1000);
    expect(res.body).toBe('<h1>down</h1>');
    expect(classifyHttp(res, undefined, 'x')).toMatchObject({ kind: 'retryable', code: 'HTTP_503', retryAfterMs: 7000, httpStatus: 503 });
  });

  it('times out a provider that does not answer, as a TimeoutError', async () => {
    delayMs = Infinity;
    const started = Date.now();
    const err = await callProvider({ method: 'POST', url: `${base}/slow`, headers: {}, body: {} }, 200).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'TimeoutError', message: 'provider did not answer within 200 ms' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(classifyHttp(undefined, err, 'x')).toMatchObject({ kind: 'retryable', code: 'TIMEOUT' });
  });

  it('does not count the wait for a connection against the provider', async () => {
    // 64 connections per origin: 212 calls answered after 300 ms each take four waves (~1.2 s), longer than the
    // 1 s the provider has, and every one of them is answered. The last wave waits ~900 ms for a connection,
    // under the 2 s bound; each call keeps 700 ms to spare for a loaded machine (a 100 ms margin failed in CI).
    delayMs = 300;
    answer = (_req, _body, res) => res.end('{"ok":true}');
    const started = Date.now();
    const all = await Promise.allSettled(
      Array.from({ length: 212 }, () => callProvider({ method: 'POST', url: `${base}/queue`, headers: {}, body: {} }, 1000)),
    );
    expect(all.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1150);
  });

  it('gives up on a call that waits for a connection longer than twice the provider timeout', async () => {
    delayMs = Infinity;
    // 64 calls that may wait 10 s hold every connection; a 65th with 100 ms waits for one.
    const holding = Array.from({ length: 64 }, () =>
      callProvider({ method: 'POST', url: `${base}/stuck`, headers: {}, body: {} }, 10000).catch((e: Error) => e),
    );
    const started = Date.now();
    const err = await callProvider({ method: 'POST', url: `${base}/stuck`, headers: {}, body: {} }, 100).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'TimeoutError', message: 'no connection to the provider within 200 ms' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    for (const res of held.splice(0)) res.end('{}');
    expect((await Promise.all(holding)).every((r) => !(r instanceof Error))).toBe(true);
  });

  it('answers a network error when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await callProvider({ method: 'POST', url: `http://127.0.0.1:${port}/`, headers: {}, body: {} }, 500).catch((e: Error) => e);
    expect(classifyHttp(undefined, err, 'x')).toMatchObject({ kind: 'retryable', code: 'NETWORK' });
  });
});
