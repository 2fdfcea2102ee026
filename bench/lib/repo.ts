import { existsSync } from 'node:fs';
import path from 'node:path';
import type * as InfraModule from '../../scripts/lib/infra';
import type * as ProvisionModule from '../../scripts/lib/provision';
import type * as ServicesModule from '../../libs/dev/services';

/** The repository root: the bench runs from dist/, so walk up to the package.json. */
export const ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'scripts'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no repository root above ${__dirname}`);
    dir = up;
  }
  return dir;
})();

/** The plain-Node scripts of scripts/lib are not compiled into dist/: load them from the repository. */
function script<T>(rel: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JS outside the compiled tree
  return require(path.join(ROOT, 'scripts', 'lib', rel)) as T;
}

export const infra = () => script<typeof InfraModule>('infra.js');
export const provisioning = () => script<typeof ProvisionModule>('provision.js');
// libs/dev is plain CommonJS too (the stack's services, shared by scripts and tests): also loaded from the repository.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JS outside the compiled tree
export const stackServices = () => require(path.join(ROOT, 'libs', 'dev', 'services.js')) as typeof ServicesModule;

/** Stops the servers ensureInfrastructure() started itself (never ones it found running), when that helper exists. */
export function stopStartedInfrastructure(infra: unknown, log: (m: string) => void): void {
  if (!existsSync(path.join(ROOT, 'scripts', 'lib', 'infra-stop.js'))) return;
  script<{ stopStartedInfrastructure(i: unknown, l: (m: string) => void): void }>('infra-stop.js').stopStartedInfrastructure(infra, log);
}

type AppEnvFn = (
  service: { name: string; role: string; port: number },
  o: { databaseUrl: string; amqpUrl: string; portOffset?: number; extra?: Record<string, string> },
) => Record<string, string>;

/** `appEnv` of scripts/lib/stack.js (the environment `npm start` gives an app), when that helper exists. */
export const stackEnv = (): AppEnvFn | undefined => {
  if (!existsSync(path.join(ROOT, 'scripts', 'lib', 'stack.js'))) return undefined;
  return script<{ appEnv?: AppEnvFn }>('stack.js').appEnv;
};

/** The compiled file of a TypeScript source (`apps/gateway/src/main.ts` → dist/...js), or undefined. */
export function distFile(distDir: string, sourceRel: string): string | undefined {
  const js = sourceRel.replace(/\.ts$/, '.js');
  const candidates = [path.join(distDir, js), path.join(distDir, js.replace(/^apps\/([^/]+)\/src\//, 'apps/$1/'))];
  return candidates.find((c) => existsSync(c));
}
