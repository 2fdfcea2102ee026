import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestEnvironment, TEST_JWT_SECRET, TestEnvironment } from '@app/shared/testing/test-environment';
import { startStack, Stack } from './support/stack';

const root = join(__dirname, '..');

/** The shell block between the README's walkthrough markers, as a reader would paste it. */
function walkthrough(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no walkthrough block between its markers');
  return block[1];
}

describe('the README walkthrough, pasted into bash against a fresh stack', () => {
  let env: TestEnvironment;
  let stack: Stack;

  beforeAll(async () => {
    env = await createTestEnvironment();
    stack = await startStack(env, { env: { 'jtd-dispatcher': { JTD_POLL_INTERVAL_MS: '200' } } });
  });

  afterAll(async () => {
    await stack?.close();
    await env?.dispose();
  });

  it('runs every step without an error and ends with the notification in the technician’s inbox', async () => {
    // Asynchronously: the stack answers from this very process. `set -e` and pipefail: any curl -f that gets
    // an error status stops the walkthrough with it.
    const run = await promisify(execFile)('bash', ['-e', '-o', 'pipefail', '-c', walkthrough()], {
      cwd: root,
      env: { ...process.env, GW: stack.gatewayUrl, JWT_SECRET: TEST_JWT_SECRET },
      encoding: 'utf8',
      timeout: 120_000,
    }).catch((e: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`the walkthrough failed (${e.code}):\n${e.stderr}\n${e.stdout}`);
    });
    expect(run.stdout).toContain('"status": "active"');
    expect(run.stdout).toContain('"totalEvents": 13');
    expect(run.stdout).toMatch(/"taskId": "TSK-\d+",\s+"status": "assigned"/);
    expect(run.stdout).toContain('"title": "Visit on 4 January"');
  }, 180_000);
});
