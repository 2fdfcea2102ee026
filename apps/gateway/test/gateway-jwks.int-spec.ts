import { INestApplication } from '@nestjs/common';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { tokenFor } from '@app/shared/testing/tokens';
import { createGatewayApp } from '../src/gateway.app';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/**
 * Production's way of authenticating: RS256 tokens verified against the identity provider's JWKS, served here
 * by a local server. NODE_ENV stays `test`: with `production` the gateway refuses the test environment's
 * development credentials (role password, broker guest account) before it starts (production-guard).
 */
describe('gateway authentication with RS256 and a JWKS URL', () => {
  let env: TestEnvironment;
  let gateway: INestApplication;
  let jwks: Server;
  let base: string;
  let signingKey: PrivateKey;
  let strangerKey: PrivateKey;
  let jwksRequests = 0;
  const tenantId = randomUUID();
  const userId = randomUUID();

  const sign = (key: PrivateKey, kid: string, claims: Record<string, unknown> = {}, issuer = 'https://id.example.test') =>
    new SignJWT({ tenantId, roles: ['admin'], name: 'Ira Admin', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject(userId)
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  const status = (token: string) => fetch(`${base}/v1/system/status`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    env = await createTestEnvironment();
    const pair = await generateKeyPair('RS256', { extractable: true });
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((req, res) => {
      jwksRequests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    gateway = await createGatewayApp(env.env('gateway', { JWT_JWKS_URL: jwksUrl, JWT_ISSUER: 'https://id.example.test', METRICS_PUBLIC: 'true' }));
    base = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await gateway?.close();
    await new Promise((r) => jwks?.close(r));
    await env?.dispose();
  });

  it('accepts an RS256 token signed with a key from the JWKS', async () => {
    const res = await status(await sign(signingKey, 'key-1'));
    expect(res.status).toBe(200);
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it('refuses an RS256 token signed with a key the JWKS does not hold', async () => {
    expect((await status(await sign(strangerKey, 'key-1'))).status).toBe(401);
  });

  it('refuses an RS256 token from another issuer', async () => {
    expect((await status(await sign(signingKey, 'key-1', {}, 'https://evil.example.test'))).status).toBe(401);
  });

  it('refuses an HS256 development token once JWKS verification is configured', async () => {
    expect((await status(tokenFor({ tenantId, userId, roles: ['admin'] }))).status).toBe(401);
  });

  it('applies roles from RS256 tokens too', async () => {
    const res = await status(await sign(signingKey, 'key-1', { roles: ['viewer'] }));
    expect(res.status).toBe(403);
  });

  it('answers 503, not 401, while the identity provider’s keys cannot be fetched', async () => {
    const blind = await createGatewayApp(env.env('gateway', { JWT_JWKS_URL: 'http://127.0.0.1:1/jwks.json', METRICS_PUBLIC: 'true' }));
    try {
      const res = await fetch(`${(await blind.getUrl()).replace('[::1]', '127.0.0.1')}/v1/system/status`, {
        headers: { authorization: `Bearer ${await sign(signingKey, 'key-1')}` },
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { code: string }).code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await blind.close();
    }
  });
});
