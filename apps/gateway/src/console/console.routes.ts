import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HelmetOptions } from 'helmet';
import type { Logger } from 'pino';
import { securityHeadersOf } from '../http/security-headers';
import { ConsoleFile, DEFAULT_CONSOLE_DIR, loadConsoleFiles } from './console-files';

/**
 * The console's own policy, stricter than the gateway's (Swagger UI needs inline styles and data: images):
 * everything from this origin only, nothing inline, no frames.
 */
export const CONSOLE_SECURITY: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      manifestSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
};

/**
 * The operations console (apps/console, built by `npm run build`) at /console: its files as built, and
 * index.html for every other path below it (the console's own routes, /console/contracts/…). Without a
 * build the gateway runs as before and says so once.
 */
export function serveConsole(fastify: FastifyInstance, logger: Logger, dir = DEFAULT_CONSOLE_DIR): void {
  const files = loadConsoleFiles(dir);
  if (!files) {
    logger.info({ consoleDir: dir }, `no console build in ${dir}: /console is not served (\`npm run build\` builds it)`);
    return;
  }
  const index = files.get('index.html')!;
  const headers = securityHeadersOf(CONSOLE_SECURITY);
  const send = (req: FastifyRequest, reply: FastifyReply, file: ConsoleFile) => {
    const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    void reply
      .headers(headers)
      .header('content-type', file.contentType)
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('vary', 'accept-encoding');
    if (gzip) void reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? file.gzip : file.body);
  };
  fastify.get('/console', (_req, reply) => reply.redirect('/console/', 301));
  fastify.get<{ Params: { '*': string } }>('/console/*', (req, reply) => {
    const path = req.params['*'];
    const file = files.get(path);
    if (file) return send(req, reply, file);
    // A missing file (an old asset name, a typo) is a 404; any other path is one of the console's pages.
    if (/\.[a-z0-9]+$/i.test(path)) return reply.callNotFound();
    return send(req, reply, index);
  });
  logger.info({ consoleDir: dir, files: files.size }, 'console served at /console');
}
