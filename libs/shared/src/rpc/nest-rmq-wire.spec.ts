import { Logger } from '@nestjs/common';
import { ServerRMQ } from '@nestjs/microservices';
import { inRange, installedVersion } from '../testing/installed-version';
import { decodeRpcReply, DIRECT_REPLY_TO, encodeRpcRequest, RELIES_ON, RpcReply } from './nest-rmq-wire';
import { RpcRequest } from './rpc-request';

/** The installed ServerRMQ, fed a request in our encoding, with a fake channel that records its replies. */
async function serve(pattern: string, handlers: Record<string, (data: RpcRequest) => Promise<unknown>>): Promise<RpcReply[]> {
  const server = new ServerRMQ({ noAck: true });
  const sent: Buffer[] = [];
  const channel = { sendToQueue: (queue: string, content: Buffer) => (queue === DIRECT_REPLY_TO ? sent.push(content) : undefined), nack: () => undefined };
  (server as unknown as { channel: unknown }).channel = channel;
  for (const [p, h] of Object.entries(handlers)) server.addHandler(p, h as never);
  const data: RpcRequest = { ctx: { tenantId: 't', actor: { type: 'system', id: 'a', name: 'System' }, roles: [], correlationId: 'c' }, body: { x: 1 } };
  await server.handleMessage(
    { content: encodeRpcRequest(pattern, data, 'id-1'), properties: { replyTo: DIRECT_REPLY_TO, correlationId: 'id-1' } } as never,
    channel as never,
  );
  await new Promise((r) => setTimeout(r, 20));
  return sent.map(decodeRpcReply);
}

describe('Nest RMQ wire adapter', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['error', 'warn', 'log']));

  it(`was checked against the installed ${RELIES_ON.package} (${RELIES_ON.range}; after an upgrade, check what the adapter relies on and widen the range)`, () => {
    expect(inRange(installedVersion(RELIES_ON.package), RELIES_ON.range)).toBe(true);
  });

  it('gets the handler’s answer back from the installed ServerRMQ, and no second answer', async () => {
    const replies = await serve('events.ping', { 'events.ping': async (d) => ({ ok: true, data: d.body }) });
    expect(replies.filter((r) => r.kind === 'answer')).toEqual([{ kind: 'answer', response: { ok: true, data: { x: 1 } } }]);
    expect(replies.every((r) => r.kind === 'answer' || r.kind === 'none')).toBe(true);
  });

  it('reads a request for a pattern nobody handles as a transport error', async () => {
    const replies = await serve('events.nobody', {});
    expect(replies).toEqual([{ kind: 'transport-error', error: expect.anything() }]);
  });

  it('reads an unparseable reply as a transport error', () => {
    expect(decodeRpcReply(Buffer.from('{'))).toEqual({ kind: 'transport-error', error: 'unparseable reply' });
  });
});
