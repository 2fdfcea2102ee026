import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const OPENAPI = resolve(root, 'docs', 'openapi.json');

/**
 * `virtual:operation-roles`: who may call each operation (`"POST /events/{id}/transitions": ["admin", …]`),
 * read from the OpenAPI document's `x-roles` at build time, so the console hides what the signed-in role
 * may not do without shipping the whole document. `npm run api` keeps the document in step with the code.
 */
function operationRoles(): Plugin {
  const id = 'virtual:operation-roles';
  return {
    name: 'cn-operation-roles',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(loaded) {
      if (loaded !== `\0${id}`) return undefined;
      this.addWatchFile(OPENAPI);
      const doc = JSON.parse(readFileSync(OPENAPI, 'utf8')) as { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
      const roles: Record<string, string[]> = {};
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          if (op && typeof op === 'object' && Array.isArray(op['x-roles'])) roles[`${method.toUpperCase()} ${path.replace(/^\/v1/, '')}`] = op['x-roles'];
        }
      }
      return `export default ${JSON.stringify(roles)};`;
    },
  };
}

/**
 * The console is served by the gateway at /console (apps/gateway/src/console). `npm run build` writes it to
 * dist/console (scripts/lib/console-build.js passes --outDir); `npx vite --config apps/console/vite.config.ts`
 * serves it for development on :5173, proxying the API to a running gateway (GATEWAY_URL, default :3000).
 */
export default defineConfig({
  root: here,
  base: '/console/',
  // No CDN, no inlined data: URLs (the gateway's CSP allows 'self' only), fonts from the system.
  build: {
    outDir: resolve(root, 'dist', 'console'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      // TanStack Query marks its modules "use client" for React Server Components; a browser bundle has none.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [operationRoles()],
  server: {
    port: 5173,
    strictPort: false,
    proxy: { '/v1': { target: process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000' } },
  },
  clearScreen: false,
  logLevel: 'warn',
});
