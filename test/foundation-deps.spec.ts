import { installDependencies } from '../scripts/lib/deps';

/** How `npm start` / `npm test` / CI install dependencies on a fresh clone (scripts/lib/deps.js). */
describe('dependency install', () => {
  const npm = (answers: Record<string, { status: number; stderr?: string }>) => {
    const calls: string[] = [];
    const run = (args: string[]) => {
      calls.push(args.join(' '));
      return answers[args[0]] ?? { status: 0, stderr: '' };
    };
    return { calls, run };
  };
  const quiet = () => undefined;

  it('uses npm ci when there is a lockfile', () => {
    const { calls, run } = npm({ ci: { status: 0 } });
    installDependencies(quiet, run, true);
    expect(calls).toEqual(['ci --no-audit --no-fund']);
  });

  it('falls back to npm install --no-save (lockfile untouched) when npm ci calls the lockfile out of sync', () => {
    const stderr =
      'npm error code EUSAGE\nnpm error `npm ci` can only install packages when your package.json and package-lock.json are in sync\nnpm error Missing: @swc/core-darwin-arm64@ from lock file';
    const { calls, run } = npm({ ci: { status: 1, stderr }, install: { status: 0 } });
    const logs: string[] = [];
    installDependencies((m) => logs.push(m), run, true);
    expect(calls).toEqual(['ci --no-audit --no-fund', 'install --no-save --no-audit --no-fund']);
    expect(logs.join('\n')).toMatch(/npm ci refused the lockfile/);
  });

  it('fails on any other npm ci error instead of hiding it', () => {
    const { calls, run } = npm({ ci: { status: 1, stderr: 'npm error code ECONNREFUSED' } });
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => installDependencies(quiet, run, true)).toThrow('npm ci failed (exit 1)');
    } finally {
      write.mockRestore();
    }
    expect(calls).toEqual(['ci --no-audit --no-fund']);
  });

  it('uses npm install without a lockfile, and reports its failure', () => {
    const { calls, run } = npm({ install: { status: 1, stderr: '' } });
    expect(() => installDependencies(quiet, run, false)).toThrow('npm install failed (exit 1)');
    expect(calls).toEqual(['install --no-save --no-audit --no-fund']);
  });
});
