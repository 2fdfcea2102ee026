import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * For the specs of adapters over library internals: the version of a package as installed, and whether it
 * lies in the range the adapter was checked against. A spec fails on an upgrade, so whoever upgrades reads
 * the adapter's comment, checks what it relies on, and widens the range.
 */
export function installedVersion(pkg: string): string {
  let dir: string;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    // packages whose `exports` hide package.json: walk up from the entry point
    dir = dirname(require.resolve(pkg));
    while (!isPackageRoot(dir, pkg)) {
      const up = dirname(dir);
      if (up === dir) throw new Error(`package.json of ${pkg} not found`);
      dir = up;
    }
  }
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function isPackageRoot(dir: string, pkg: string): boolean {
  const file = join(dir, 'package.json');
  return existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === pkg;
}

/** `range`: comparators joined by spaces, each `>=x.y.z`, `>x.y.z`, `<x.y.z`, `<=x.y.z` or `x.y.z` (all must hold). */
export function inRange(version: string, range: string): boolean {
  const v = parse(version);
  return range
    .trim()
    .split(/\s+/)
    .every((comparator) => {
      const m = /^(>=|<=|>|<|=)?(\d+\.\d+\.\d+)$/.exec(comparator);
      if (!m) throw new Error(`unsupported range comparator ${comparator}`);
      const c = compare(v, parse(m[2]));
      switch (m[1] ?? '=') {
        case '>=':
          return c >= 0;
        case '>':
          return c > 0;
        case '<=':
          return c <= 0;
        case '<':
          return c < 0;
        default:
          return c === 0;
      }
    });
}

function parse(version: string): number[] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) throw new Error(`not a version: ${version}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
