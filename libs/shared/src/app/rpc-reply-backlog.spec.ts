import { readFileSync } from 'node:fs';
import { inRange, installedVersion } from '../testing/installed-version';
import { pendingReplies, RELIES_ON } from './rpc-reply-backlog';

describe('RPC reply backlog adapter', () => {
  it.each(RELIES_ON.map((r) => [r.package, r.range]))(
    'was checked against the installed %s (%s; after an upgrade, check what the adapter relies on and widen the range)',
    (pkg, range) => {
      expect(inRange(installedVersion(pkg), range)).toBe(true);
    },
  );

  it('finds the private fields it reads where it expects them in the installed sources', () => {
    const wrapper = readFileSync(require.resolve('amqp-connection-manager').replace(/index\.js$/, 'ChannelWrapper.js'), 'utf8');
    expect(wrapper).toContain('this._unconfirmedMessages = [];');
    expect(wrapper).toMatch(/queueLength\(\) \{/);
    const server = readFileSync(require.resolve('@nestjs/microservices/server/server-rmq.js'), 'utf8');
    expect(server).toContain('this.channel = this.server.createChannel(');
    const microservice = readFileSync(require.resolve('@nestjs/microservices/nest-microservice.js'), 'utf8');
    expect(microservice).toContain('this.serverInstance = ');
    const nest = readFileSync(require.resolve('@nestjs/core/nest-application.js'), 'utf8');
    expect(nest).toContain('getMicroservices()');
  });

  it('counts queued and unconfirmed replies', () => {
    expect(pendingReplies({ queueLength: () => 2, _unconfirmedMessages: [1] })).toBe(3);
    expect(pendingReplies({ queueLength: () => 0 })).toBe(0);
  });
});
