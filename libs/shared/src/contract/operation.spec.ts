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

describe('defineOperation: streams', () => {
  it('takes a stream only as a GET the gateway answers, with a bearer token and nothing but its query', () => {
    const stream = { ...base, handler: 'gateway', roles: ['admin'] } as const;
    expect(defineOperation({ ...stream, name: 'watch', http: { method: 'GET', path: '/watch', stream: true } }).http?.stream).toBe(true);
    expect(() => defineOperation({ ...stream, name: 'watchPost', http: { method: 'POST', path: '/watch', stream: true } })).toThrow(
      /a stream is a GET that the gateway answers/,
    );
    expect(() => defineOperation({ ...base, roles: ['admin'], name: 'watchRpc', http: { method: 'GET', path: '/watch', stream: true } })).toThrow(
      /a stream is a GET that the gateway answers/,
    );
    expect(() => defineOperation({ ...stream, name: 'watchIdem', http: { method: 'GET', path: '/watch', stream: true, download: true } })).toThrow(
      /nothing but its query/,
    );
  });
});
