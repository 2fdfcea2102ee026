import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { inRange, installedVersion } from '../testing/installed-version';
import { RELIES_ON, RpcServer } from './rpc-server';

describe('RpcServer (Nest RMQ server without stray rejections)', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['error', 'warn', 'log']));

  it.each(RELIES_ON.map((r) => [r.package, r.range]))('was checked against the installed %s (%s)', (pkg, range) => {
    expect(inRange(installedVersion(pkg), range)).toBe(true);
  });

  it('finds the unhandled calls it guards where it expects them in the installed sources', () => {
    const server = readFileSync(require.resolve('@nestjs/microservices/server/server-rmq.js'), 'utf8');
    expect(server).toMatch(/\n {8}this\.channel\.sendToQueue\(replyTo, buffer, sendOptions\);\n/);
    expect(server).toMatch(/\n {8}channel\.consume\(createdQueue, /);
  });

  it('handles the rejection of a reply sent on a channel that has gone away, and still sends through the same method', async () => {
    const server = new RpcServer({ urls: ['amqp://127.0.0.1:1'], queue: 'q' });
    const sent: unknown[] = [];
    let fail = true;
    const channel = {
      sendToQueue: (...args: unknown[]) => {
        sent.push(args[0]);
        return fail ? Promise.reject(new Error('channel closed')) : Promise.resolve(true);
      },
    };
    Object.assign(server, { channel });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      server.sendMessage({ response: 1 }, 'reply-queue', 'c1', undefined as never);
      fail = false;
      server.sendMessage({ response: 2 }, 'reply-queue', 'c2', undefined as never);
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(sent).toEqual(['reply-queue', 'reply-queue']);
    expect(unhandled).toEqual([]);
  });
});
