import { INestApplicationContext, Logger } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { connect, Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InFlightTracker } from '../app/in-flight';
import { OperationHandler, RpcServer } from '../app/rpc-server';
import { defineOperation } from '../contract/operation';
import { RequestContext } from '../context/request-context';
import { Transactions } from '../db/transactions';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { rpcQueueName, RpcResponse } from '../rpc/rpc-request';
import { decodeRpcReply, DIRECT_REPLY_TO, encodeRpcRequest, RpcReply } from '../rpc/rpc-wire';
import { ServiceConfig } from '../config/service-config';
import { SealedValueError } from '../security/sealed-fields';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { ANSWER_WAIT_MS, outsideRequestJournal, RequestJournal } from './request-journal';
import { dataSourceOf, startMessagingApp } from './testing/messaging-test-app';

class BookInput {
  @IsString() @MaxLength(40) label!: string;
}
class BookOutput {}
const book = defineOperation({
  name: 'bookVisit',
  handler: 'events',
  roles: ['admin'],
  tag: 'test',
  summary: 'book',
  description: 'inserts a visit, or refuses on demand',
  input: BookInput,
  output: BookOutput,
  errors: [],
});

const ctx: RequestContext = { tenantId: randomUUID(), actor: { type: 'user', id: randomUUID(), name: 'Ann' }, roles: ['admin'], correlationId: 'c-1' };

/**
 * The request journal against PostgreSQL and RabbitMQ: two replicas of a service (two RpcServers on one
 * queue), the first losing its channel while its handler's transaction is open, as when a broker node is lost.
 */
describe('request journal: an RPC request delivered twice takes effect once', () => {
  let env: TestEnvironment;
  let app: INestApplicationContext;
  let ds: DataSource;
  let db: Transactions;
  let journal: RequestJournal;
  let queue: string;
  let client: ChannelModel;
  let ch: Channel;
  const replies = new Map<string, RpcReply[]>();
  const servers: RpcServer[] = [];
  /** Handler runs per label, and gates a test can hold a run at (inside its transaction, after its insert). */
  const runs = new Map<string, number>();
  const gates = new Map<string, Promise<void>>();
  const refusals = new Set<string>();

  const handlers = new Map<string, OperationHandler>([
    [
      book.pattern,
      {
        op: book,
        call: (input: object) => {
          const { label } = input as BookInput;
          runs.set(label, (runs.get(label) ?? 0) + 1);
          return db.run(async (tx) => {
            const id = randomUUID();
            await tx.query('INSERT INTO journal_visits (id, label) VALUES ($1, $2)', [id, label]);
            await gates.get(label);
            if (refusals.delete(label)) throw DomainError.rule('refused once');
            return { id, label, secret: `pin-of-${label}` };
          });
        },
      },
    ],
  ]);

  /** A replica of the service; `own`: with a journal of its own, as a replica in another process has. */
  async function replica(own = false): Promise<RpcServer> {
    const server = new RpcServer({
      urls: [env.amqpUrl],
      queue,
      prefetch: 4,
      handlers: () => handlers,
      inFlight: new InFlightTracker(),
      journal: own ? journalOfAnotherReplica() : journal,
    });
    await new Promise<void>((resolve, reject) => server.listen((err?: unknown) => (err ? reject(err as Error) : resolve())));
    servers.push(server);
    return server;
  }

  /** A journal such as a replica in another process has: none of this one's answers held in memory. */
  const journalOfAnotherReplica = () => new RequestJournal(ds, app.get(ServiceConfig));

  /** `keepAnswer`: as the gateway sends a keyed request, whose client may send it again later. */
  function send(label: string, id: string = randomUUID(), keepAnswer = false): string {
    if (!replies.has(id)) replies.set(id, []);
    ch.sendToQueue(queue, encodeRpcRequest(book.pattern, { ctx, body: { label } }, id, keepAnswer), { replyTo: DIRECT_REPLY_TO, correlationId: id });
    return id;
  }

  async function repliesTo(id: string, count: number): Promise<RpcReply[]> {
    const deadline = Date.now() + ANSWER_WAIT_MS + 5000;
    while (replies.get(id)!.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 150));
    return replies.get(id)!;
  }

  const visits = async (label: string) => (await ds.query('SELECT id FROM journal_visits WHERE label = $1', [label])).map((r: { id: string }) => r.id);
  const journalRow = async (id: string) => (await ds.query('SELECT operation, answer FROM rpc_requests WHERE request_id = $1', [id]))[0];
  const until = async (check: () => Promise<boolean>) => {
    const deadline = Date.now() + 5000;
    while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  };
  /** The answer is written behind the reply. */
  const answered = (id: string) => until(async () => !!(await journalRow(id))?.answer);

  beforeAll(async () => {
    // The replica that loses its channel warns that it could not answer.
    Logger.overrideLogger(false);
    env = await createTestEnvironment();
    app = await startMessagingApp(env);
    ds = dataSourceOf(app);
    db = app.get(Transactions);
    journal = app.get(RequestJournal);
    await ds.query('CREATE TABLE journal_visits (id uuid PRIMARY KEY, label text NOT NULL)');
    queue = rpcQueueName(env.namespace, 'events');
    await replica();
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
    for (const s of servers) await s.close();
    await app?.close();
    await env?.dispose();
    Logger.overrideLogger(['error', 'warn', 'log']);
  });

  it('answers a request once, and keeps the answer of one its caller may send again sealed for its tenant and id', async () => {
    const id = send('first', undefined, true);
    const [reply] = await repliesTo(id, 1);
    expect(reply).toMatchObject({ kind: 'answer', response: { ok: true, data: { label: 'first', secret: 'pin-of-first' } } });
    await answered(id);
    const row = await journalRow(id);
    expect(row.operation).toBe(book.pattern);
    expect(row.answer).toEqual({ $sealed: expect.stringMatching(/^v1\./) });
    expect(JSON.stringify(row.answer)).not.toContain('pin-of-first');
  });

  it('runs a second delivery of a finished request into the first one’s answer, without a second effect', async () => {
    const id = send('again');
    const [first] = await repliesTo(id, 1);
    send('again', id);
    const all = await repliesTo(id, 2);
    expect(all).toHaveLength(2);
    expect(all[1]).toEqual(first);
    expect(await visits('again')).toHaveLength(1);
  });

  it('gives a request redelivered while its first run is still committing that run’s answer, once, when the first replica lost its channel', async () => {
    const [a] = servers;
    let open!: () => void;
    gates.set('lost', new Promise<void>((r) => (open = r)));
    const id = send('lost');
    await until(async () => runs.get('lost') === 1);
    const b = await replica(true);
    // A's channel goes away with the request unacknowledged and A's transaction open, as when its broker
    // node is lost: the broker hands the request to B, whose transaction waits on A's mark.
    await a.close();
    await until(async () => runs.get('lost') === 2);
    open();
    const all = await repliesTo(id, 1);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: 'answer', response: { ok: true, data: { label: 'lost', secret: 'pin-of-lost' } } });
    expect(await visits('lost')).toEqual([(all[0] as { response: { data: { id: string } } }).response.data.id]);
    servers.splice(0, servers.length, b);
  });

  it('runs a request again when its first run rolled back, and answers the second run', async () => {
    refusals.add('retried');
    const id = send('retried');
    const [refused] = await repliesTo(id, 1);
    expect(refused).toMatchObject({ kind: 'answer', response: { ok: false, error: { code: ErrorCode.BUSINESS_RULE } } });
    expect(await journalRow(id)).toBeUndefined();
    send('retried', id);
    const [, second] = await repliesTo(id, 2);
    expect(second).toMatchObject({ kind: 'answer', response: { ok: true, data: { label: 'retried' } } });
    expect(await visits('retried')).toHaveLength(1);
  });

  it('looks a redelivered request up before running it, and opens its answer for its own tenant only', async () => {
    const id = randomUUID();
    const first = await journal.answer({ id, tenantId: ctx.tenantId, pattern: book.pattern, redelivered: false, keepAnswer: true }, () => handle('looked-up'));
    await answered(id);
    // Another replica (a journal of its own) finds it in the row.
    const elsewhere = journalOfAnotherReplica();
    expect(await elsewhere.answer({ id, tenantId: ctx.tenantId, pattern: book.pattern, redelivered: true }, () => handle('looked-up'))).toEqual(first);
    const second = await journal.answer({ id, tenantId: ctx.tenantId, pattern: book.pattern, redelivered: true }, () => handle('looked-up'));
    expect(runs.get('looked-up')).toBe(1);
    expect(second).toEqual(first);
    // The same id from another tenant opens nothing.
    const stranger = journal.answer({ id, tenantId: randomUUID(), pattern: book.pattern, redelivered: true }, () => handle('looked-up'));
    await expect(stranger).rejects.toThrow(SealedValueError);
    expect(runs.get('looked-up')).toBe(1);
  });

  it('holds the answer of a request its caller will not send again while the caller waits, and writes it only if the channel closes meanwhile', async () => {
    const ask = (label: string, id: string, expiresInMs: number, redelivered = false) =>
      journal.answer({ id, tenantId: ctx.tenantId, pattern: book.pattern, redelivered, expiresInMs }, () => handle(label));
    const waiting = randomUUID();
    const gone = randomUUID();
    const first = await ask('held', waiting, 60_000);
    await ask('expired', gone, 1);
    await new Promise((r) => setTimeout(r, 20));
    // Committed and marked, but no answer written: a second delivery here takes it from memory.
    expect(await journalRow(waiting)).toEqual({ operation: book.pattern, answer: null });
    expect(await ask('held', waiting, 60_000, true)).toEqual(first);
    expect(runs.get('held')).toBe(1);
    await expect(journal.answer({ id: waiting, tenantId: randomUUID(), pattern: book.pattern, redelivered: true }, () => handle('held'))).rejects.toThrow(
      SealedValueError,
    );
    // The channel closes: requests not acknowledged go to another replica, which will ask the row.
    journal.deliveriesLost();
    await answered(waiting);
    const elsewhere = journalOfAnotherReplica();
    expect(await elsewhere.answer({ id: waiting, tenantId: ctx.tenantId, pattern: book.pattern, redelivered: true }, () => handle('held'))).toEqual(first);
    // The answer whose caller stopped waiting is not written: nobody can take it any more.
    expect(await journalRow(gone)).toEqual({ operation: book.pattern, answer: null });
    expect(runs.get('held')).toBe(1);
  });

  it('writes the answer of a request that was running when the channel closed', async () => {
    let open!: () => void;
    gates.set('running', new Promise<void>((r) => (open = r)));
    const id = randomUUID();
    const answer = journal.answer({ id, tenantId: ctx.tenantId, pattern: book.pattern, redelivered: false, expiresInMs: 60_000 }, () => handle('running'));
    await until(async () => runs.get('running') === 1);
    journal.deliveriesLost();
    open();
    await answer;
    await answered(id);
    expect((await journalRow(id)).answer).toEqual({ $sealed: expect.stringMatching(/^v1\./) });
  });

  it('answers CONFLICT when the first run committed and its answer never came', async () => {
    const id = randomUUID();
    await ds.query(`INSERT INTO rpc_requests (request_id, operation) VALUES ($1, $2)`, [id, book.pattern]);
    const started = Date.now();
    const answer = await journal.answer({ id, tenantId: ctx.tenantId, pattern: book.pattern, redelivered: true }, () => handle('never'));
    expect(answer).toMatchObject({ ok: false, error: { code: ErrorCode.CONFLICT, message: expect.stringContaining('already carried out') } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(ANSWER_WAIT_MS - 100);
    expect(runs.get('never')).toBeUndefined();
  });

  it('leaves no row for a request that commits nothing, nor for work run outside the journal', async () => {
    const read = randomUUID();
    await journal.answer({ id: read, tenantId: ctx.tenantId, pattern: book.pattern, redelivered: false }, async () => ({
      ok: true,
      data: await ds.query('SELECT 1 AS one'),
    }));
    const batch = randomUUID();
    await journal.answer({ id: batch, tenantId: ctx.tenantId, pattern: book.pattern, redelivered: false }, () =>
      outsideRequestJournal(() => handle('batched')),
    );
    expect(await journalRow(read)).toBeUndefined();
    expect(await journalRow(batch)).toBeUndefined();
    expect(await visits('batched')).toHaveLength(1);
  });

  /** The handler as answerRpc would run it, for calls made on the journal directly. */
  async function handle(label: string): Promise<RpcResponse> {
    return { ok: true, data: await handlers.get(book.pattern)!.call({ label }, ctx) };
  }
});
