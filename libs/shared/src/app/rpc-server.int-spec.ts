import { Logger } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { connect, Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { defineOperation } from '../contract/operation';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { RequestContext } from '../context/request-context';
import { rpcQueueName } from '../rpc/rpc-request';
import { decodeRpcReply, DIRECT_REPLY_TO, encodeRpcRequest, RpcReply } from '../rpc/rpc-wire';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { InFlightTracker } from './in-flight';
import { OperationHandler, RpcServer } from './rpc-server';

class EchoInput {
  @IsString() @MaxLength(10) text!: string;
}
class EchoOutput {}
const echo = defineOperation({
  name: 'echoText',
  handler: 'events',
  roles: ['admin'],
  tag: 'test',
  summary: 'echo',
  description: 'answers its input',
  input: EchoInput,
  output: EchoOutput,
  errors: [],
});

const ctx: RequestContext = { tenantId: randomUUID(), actor: { type: 'user', id: randomUUID(), name: 'Ann' }, roles: ['admin'], correlationId: 'c-1' };

describe('RpcServer (the services’ RPC transport) against RabbitMQ', () => {
  let env: TestEnvironment;
  let server: RpcServer;
  let client: ChannelModel;
  let ch: Channel;
  const inFlight = new InFlightTracker();
  const replies = new Map<string, RpcReply[]>();
  const calls: Array<{ input: EchoInput; ctx: RequestContext }> = [];
  let release: (() => void) | undefined;
  let queue: string;

  const handlers = new Map<string, OperationHandler>([
    [
      echo.pattern,
      {
        op: echo,
        call: async (input: object, c: RequestContext) => {
          const i = input as EchoInput;
          calls.push({ input: i, ctx: c });
          if (i.text === 'refuse') throw DomainError.rule('refused');
          if (i.text === 'crash') throw new Error('internal detail');
          if (i.text === 'wait') await new Promise<void>((r) => (release = r));
          return { echoed: i.text, isEchoInput: i instanceof EchoInput };
        },
      },
    ],
  ]);

  /** Sends a request as the gateway does and waits for its replies (all of them, for 150 ms after the first). */
  async function call(pattern: string, data: unknown): Promise<RpcReply[]> {
    const id = randomUUID();
    replies.set(id, []);
    ch.sendToQueue(queue, encodeRpcRequest(pattern, data as never, id), { replyTo: DIRECT_REPLY_TO, correlationId: id });
    const deadline = Date.now() + 5000;
    while (replies.get(id)!.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 150));
    return replies.get(id)!;
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    env = await createTestEnvironment();
    queue = rpcQueueName(env.namespace, 'events');
    server = new RpcServer({ urls: [env.amqpUrl], queue, prefetch: 4, handlers: () => handlers, inFlight });
    await new Promise<void>((resolve, reject) => server.listen((err?: unknown) => (err ? reject(err as Error) : resolve())));
    client = await connect(env.amqpUrl);
    ch = await client.createChannel();
    await ch.consume(
      DIRECT_REPLY_TO,
      (msg: ConsumeMessage | null) => msg && replies.get(msg.properties.correlationId as string)?.push(decodeRpcReply(msg.content)),
      {
        noAck: true,
      },
    );
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
    await env?.dispose();
    Logger.overrideLogger(['error', 'warn', 'log']);
  });

  it('answers once, with the validated input as an instance of the input class and the caller’s context', async () => {
    const r = await call(echo.pattern, { ctx, body: { text: 'hello' } });
    expect(r).toEqual([{ kind: 'answer', response: { ok: true, data: { echoed: 'hello', isEchoInput: true } } }]);
    expect(calls.at(-1)!.ctx).toMatchObject({ tenantId: ctx.tenantId, correlationId: 'c-1' });
  });

  it('refuses invalid input, a missing role and a missing tenant before the handler runs', async () => {
    const before = calls.length;
    const invalid = await call(echo.pattern, { ctx, body: { text: 'far too long a text', extra: 1 } });
    expect(invalid[0]).toMatchObject({ kind: 'answer', response: { ok: false, error: { code: ErrorCode.VALIDATION_FAILED } } });
    const noRole = await call(echo.pattern, { ctx: { ...ctx, roles: ['viewer'] }, body: { text: 'x' } });
    expect(noRole[0]).toMatchObject({ kind: 'answer', response: { ok: false, error: { code: ErrorCode.FORBIDDEN } } });
    const noTenant = await call(echo.pattern, { ctx: { ...ctx, tenantId: '' }, body: { text: 'x' } });
    expect(noTenant[0]).toMatchObject({ kind: 'answer', response: { ok: false, error: { code: ErrorCode.VALIDATION_FAILED } } });
    expect(calls.length).toBe(before);
  });

  it('answers a domain refusal with its code and an unexpected failure as INTERNAL with an errorId, no internals', async () => {
    const refused = await call(echo.pattern, { ctx, body: { text: 'refuse' } });
    expect(refused[0]).toMatchObject({ kind: 'answer', response: { ok: false, error: { code: ErrorCode.BUSINESS_RULE } } });
    const crashed = await call(echo.pattern, { ctx, body: { text: 'crash' } });
    expect(crashed[0]).toMatchObject({ kind: 'answer', response: { ok: false, error: { code: ErrorCode.INTERNAL, errorId: expect.any(String) } } });
    expect(JSON.stringify(crashed)).not.toContain('internal detail');
  });

  it('answers a pattern it does not handle as a transport error, and acknowledges what is not a request', async () => {
    expect(await call('events.nobody', { ctx, body: {} })).toEqual([{ kind: 'transport-error', error: expect.stringContaining('events.nobody') }]);
    ch.sendToQueue(queue, Buffer.from('not json'));
    await new Promise((r) => setTimeout(r, 200));
    expect((await ch.checkQueue(queue)).messageCount).toBe(0);
  });

  it('counts a running handler until it answers, so shutdown can wait for it', async () => {
    const answered = call(echo.pattern, { ctx, body: { text: 'wait' } });
    const deadline = Date.now() + 5000;
    while (!release && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(inFlight.count).toBe(1);
    const drained = inFlight.drained(5000);
    release!();
    await expect(drained).resolves.toBe(true);
    expect((await answered)[0]).toMatchObject({ kind: 'answer', response: { ok: true } });
  });
});
