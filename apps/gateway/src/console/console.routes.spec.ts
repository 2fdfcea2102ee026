import Fastify from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { serveConsole } from './console.routes';

describe('serveConsole', () => {
  let dir: string;
  const lines: Array<{ msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cn-console-routes-'));
    lines.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves nothing without a build, and says so once', async () => {
    const app = Fastify();
    serveConsole(app, logger, join(dir, 'none'));
    expect((await app.inject({ url: '/console/' })).statusCode).toBe(404);
    expect(lines.map((l) => l.msg)).toEqual([expect.stringContaining('/console is not served')]);
    await app.close();
  });

  it('serves the build: files as built, index.html for the console’s own routes, with a self-only policy', async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/console/assets/app-1a2b.js"></script>');
    writeFileSync(join(dir, 'assets', 'app-1a2b.js'), 'console.log(1)');
    const app = Fastify();
    serveConsole(app, logger, dir);

    const page = await app.inject({ url: '/console/contracts/1234?event=5' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self';font-src 'self';connect-src 'self';manifest-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
    );
    expect(page.body).toContain('/console/assets/app-1a2b.js');

    const asset = await app.inject({ url: '/console/assets/app-1a2b.js' });
    expect(asset.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
    expect(asset.body).toBe('console.log(1)');
    expect((await app.inject({ url: '/console/assets/app-0000.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/console/../package.json' })).statusCode).not.toBe(200);
    const bare = await app.inject({ url: '/console' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/console/');
    await app.close();
  });
});
