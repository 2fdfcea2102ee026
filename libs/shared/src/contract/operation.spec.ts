import { IsString } from 'class-validator';
import { defineOperation } from './operation';

class In {
  @IsString() id!: string;
}
class Out {}

const base = { handler: 'events', tag: 't', summary: 's', description: 'd', input: In, output: Out, errors: [] } as const;

describe('defineOperation: the tenant an operation requires', () => {
  it('requires a registered tenant unless the operation says otherwise', () => {
    expect(defineOperation({ ...base, name: 'readThing', roles: ['admin'] }).tenant).toBe('registered');
    expect(defineOperation({ ...base, name: 'platformThing', roles: ['platform_admin'], tenant: 'any' }).tenant).toBe('any');
  });

  it('refuses a public operation that would serve any tenant: only the registry vouches for the tenant it names', () => {
    const auth = { scheme: 'webhookToken', queryParameter: 'token', tenantParameter: 'tenant' } as const;
    expect(() => defineOperation({ ...base, name: 'hook', roles: 'public', tenant: 'any', http: { method: 'POST', path: '/hooks', auth } })).toThrow(
      /public, so its tenant must be registered/,
    );
  });
});
