import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file of the console's build, read once at boot. */
export interface ConsoleFile {
  body: Buffer;
  /** The gzip of a text file (sent to clients that accept it); absent when it would not be smaller. */
  gzip?: Buffer;
  contentType: string;
  /** Vite names what it hashes under `assets/`: such a file never changes under its name. */
  immutable: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};
const TEXT = /^(text\/|application\/(json|manifest)|image\/svg)/;

/**
 * `npm run build` writes the console next to the compiled apps (`dist/console`, beside
 * `dist/apps/gateway/src/main.js`); CONSOLE_DIR says where it is otherwise (tests build their own).
 */
export const DEFAULT_CONSOLE_DIR = resolve(__dirname, '..', '..', '..', '..', 'console');

/**
 * Every file of a console build by its path relative to `dir` (`index.html`, `assets/index-3f9c.js`), or
 * undefined when there is no build there. Only these files are ever served, so no request path can reach
 * anything else on disk.
 */
export function loadConsoleFiles(dir: string): Map<string, ConsoleFile> | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const files = new Map<string, ConsoleFile>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      const contentType = CONTENT_TYPES[extname(entry.name).toLowerCase()];
      if (!contentType) continue;
      const path = relative(dir, full).split(sep).join('/');
      const body = readFileSync(full);
      const gzip = TEXT.test(contentType) && body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined;
      files.set(path, { body, gzip: gzip && gzip.length < body.length ? gzip : undefined, contentType, immutable: path.startsWith('assets/') });
    }
  };
  walk(dir);
  return files;
}
