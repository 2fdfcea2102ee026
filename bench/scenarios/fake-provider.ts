import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { BenchContext } from '../lib/context';

/** One request the fake provider received: when, where, and the raw body (to find the bench's marker). */
export interface ProviderHit {
  at: number;
  path: string;
  raw: string;
  /** Shape problems the JTD engineer's fake found (it answers those with 400). */
  problems: string[];
}

/** What the JTD pipeline scenario needs from a fake MSG91/FCM server. */
export interface ProviderSink {
  readonly url: string;
  readonly kind: string;
  /** Environment that points the dispatcher's adapters at it. */
  env(): Record<string, string>;
  onRequest(fn: (hit: ProviderHit) => void): () => void;
  count: number;
  problems: string[];
  stop(): Promise<void>;
}

/** The JTD engineer's fake (apps/jtd-dispatcher/test/support/fake-provider.ts), compiled next to the bench. */
interface JtdFake {
  url: string;
  start(): Promise<unknown>;
  stop(): Promise<void>;
  env(): Record<string, string>;
  requests: unknown[];
  onRequest?: (route: string, req: { path: string; rawBody: string; problems: string[] }) => void;
}

class Listeners {
  private fns: Array<(h: ProviderHit) => void> = [];
  count = 0;
  problems: string[] = [];
  add(fn: (h: ProviderHit) => void): () => void {
    this.fns.push(fn);
    return () => (this.fns = this.fns.filter((f) => f !== fn));
  }
  emit(h: ProviderHit): void {
    this.count++;
    if (h.problems.length && this.problems.length < 5) this.problems.push(`${h.path}: ${h.problems.join('; ')}`);
    for (const f of this.fns) f(h);
  }
}

/**
 * Reuses the JTD dispatcher's test fake, which checks every request's method, path, headers and body the
 * way MSG91 and FCM do; it keeps every request, so the bench empties that list as it goes.
 */
async function jtdFake(distDir: string): Promise<ProviderSink | undefined> {
  const file = path.join(distDir, 'apps', 'jtd-dispatcher', 'test', 'support', 'fake-provider.js');
  if (!existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a test helper of another app, optional
  const mod = require(file) as { FakeProvider?: new () => JtdFake };
  if (typeof mod.FakeProvider !== 'function') return undefined;
  const fake = new mod.FakeProvider();
  await fake.start();
  const l = new Listeners();
  fake.onRequest = (_route, req) => {
    fake.requests.length = 0;
    l.emit({ at: Date.now(), path: req.path, raw: req.rawBody, problems: req.problems });
  };
  return {
    url: fake.url,
    kind: 'apps/jtd-dispatcher/test/support/fake-provider (checks request shapes)',
    // Its test timeout (1.5 s) is for failure tests; the bench keeps the dispatcher's default.
    env: () => Object.fromEntries(Object.entries(fake.env()).filter(([k]) => k !== 'PROVIDER_TIMEOUT_MS')),
    onRequest: (fn) => l.add(fn),
    get count() {
      return l.count;
    },
    get problems() {
      return l.problems;
    },
    stop: () => fake.stop(),
  };
}

/** Fallback when that helper is not there: answers every send with success in the provider's shape. */
async function ownFake(): Promise<ProviderSink> {
  const l = new Listeners();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const p = req.url ?? '';
      l.emit({ at: Date.now(), path: p, raw, problems: [] });
      const id = randomBytes(12).toString('hex');
      const answer = p.includes('/token')
        ? { access_token: `fake-${id}`, expires_in: 3600, token_type: 'Bearer' }
        : p.includes('messages:send')
          ? { name: `projects/bench/messages/${id}` }
          : p.includes('/email/')
            ? { status: 'success', hasError: false, data: { unique_id: id } }
            : p.includes('/flow')
              ? { message: id, type: 'success' }
              : { status: 'success', request_id: randomUUID() };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    kind: 'bench/scenarios/fake-provider (answers success, no shape checks)',
    env: () => ({ MSG91_BASE_URL: url, MSG91_WHATSAPP_BASE_URL: url, MSG91_AUTH_KEY: 'bench-fake-authkey', FCM_BASE_URL: url, FCM_TOKEN_URL: `${url}/token` }),
    onRequest: (fn) => l.add(fn),
    get count() {
      return l.count;
    },
    get problems() {
      return l.problems;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let current: ProviderSink | undefined;

export function fakeProvider(): ProviderSink | undefined {
  return current;
}

export async function startFakeProvider(b: BenchContext): Promise<ProviderSink> {
  current =
    (await jtdFake(b.distDir).catch((e) => (b.log(`jtd fake provider not usable (${(e as Error).message}); using the bench's own`), undefined))) ??
    (await ownFake());
  return current;
}
