import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { DEV_JWT_SECRET } from '../../../libs/dev/dev-token';

const script = join(__dirname, '../../../scripts/token.js');
const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, JWT_SECRET: '' } });

describe('npm run token (scripts/token.js)', () => {
  const tenant = '3f8a1c2e-0d4b-4e6f-9a1b-2c3d4e5f6a7b';
  const user = '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a';

  it('prints one HS256 token and nothing else, with the claims the gateway reads', async () => {
    const r = run('--tenant', tenant, '--user', user, '--roles', 'admin,agent', '--name', 'Ada');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const { payload, protectedHeader } = await jwtVerify(r.stdout.trim(), new TextEncoder().encode(DEV_JWT_SECRET));
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: user, tenantId: tenant, roles: ['admin', 'agent'], name: 'Ada' });
    expect(payload.exp! - payload.iat!).toBe(8 * 3600);
  });

  it('refuses an unknown role and a tenant that is not a uuid, naming the problem', () => {
    const role = run('--roles', 'superuser');
    expect(role.status).not.toBe(0);
    expect(role.stdout).toBe('');
    expect(role.stderr).toContain('superuser');
    const tenantBad = run('--tenant', 'acme');
    expect(tenantBad.status).not.toBe(0);
    expect(tenantBad.stderr).toContain('--tenant');
  });
});
