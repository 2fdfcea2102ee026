import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { MachineCredentials, VERIFIED_KEY_TTL_MS } from '../src/auth/machine-credentials';
import { createGatewayApp } from '../src/gateway.app';

/** Machine identities against the gateway's real schema, with two gateway replicas sharing it. */
describe('machine credentials (two gateway replicas)', () => {
  let env: TestEnvironment;
  let a: INestApplication;
  let b: INestApplication;
  const tenantId = randomUUID();
  const admin: RequestContext = {
    tenantId,
    actor: { type: 'user', id: randomUUID(), name: 'Asha Admin' },
    roles: ['admin'],
    correlationId: 'corr',
  };

  beforeAll(async () => {
    env = await createTestEnvironment();
    a = await createGatewayApp(env.env('gateway'));
    b = await createGatewayApp(env.env('gateway'));
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await env?.dispose();
  });

  it('verifies a key on any replica as the actor and roles it was created with, tenant-scoped', async () => {
    const created = await a.get(MachineCredentials).create(admin, { name: 'VaNi', actorType: 'vani', roles: ['agent'] });
    expect(await b.get(MachineCredentials).verify(created.apiKey)).toEqual({ tenantId, actor: SYSTEM_ACTORS.vani, roles: ['agent'] });
    const erp = await a.get(MachineCredentials).create(admin, { name: 'ERP', actorType: 'system', roles: ['viewer', 'technician'] });
    expect(await a.get(MachineCredentials).verify(erp.apiKey)).toEqual({
      tenantId,
      actor: { type: 'system', id: erp.id, name: 'ERP' },
      roles: ['viewer', 'technician'],
    });
    const other = { ...admin, tenantId: randomUUID() };
    expect((await a.get(MachineCredentials).list(other)).items).toEqual([]);
    await expect(a.get(MachineCredentials).revoke(other, erp.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a revoked key at once on the revoking replica and within the cache time on the others', async () => {
    const created = await a.get(MachineCredentials).create(admin, { name: 'Sync', actorType: 'system', roles: ['agent'] });
    const now = Date.now();
    await a.get(MachineCredentials).verify(created.apiKey, now);
    await b.get(MachineCredentials).verify(created.apiKey, now);
    await a.get(MachineCredentials).revoke(admin, created.id);
    await expect(a.get(MachineCredentials).verify(created.apiKey, now + 1)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // replica b remembered it: still accepted until its entry expires, refused after
    await expect(b.get(MachineCredentials).verify(created.apiKey, now + 1)).resolves.toMatchObject({ tenantId });
    await expect(b.get(MachineCredentials).verify(created.apiKey, now + VERIFIED_KEY_TTL_MS + 1)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a key whose secret part is wrong even when its prefix exists', async () => {
    const created = await a.get(MachineCredentials).create(admin, { name: 'X', actorType: 'vani', roles: ['viewer'] });
    const forged = `${created.keyPrefix}_${'A'.repeat(43)}`;
    await expect(b.get(MachineCredentials).verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
