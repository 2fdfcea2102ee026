import http from 'node:http';
import { connect } from 'amqplib';

/**
 * The raw RPC server: consumes a durable queue with manual acks and the services' prefetch, parses the
 * request and answers an event-sized JSON to the reply-to address. No Nest, no database.
 */
async function main() {
  const queue = process.env.RPC_QUEUE!;
  const conn = await connect(process.env.AMQP_URL!, { noDelay: true });
  const ch = await conn.createChannel();
  await ch.assertQueue(queue, { durable: true });
  await ch.prefetch(Number(process.env.RPC_PREFETCH ?? 32));
  const answer = (id: string) =>
    Buffer.from(
      JSON.stringify({
        ok: true,
        data: {
          id,
          taskId: 'TSK-00001',
          contractId: id,
          type: 'service',
          title: 'Quarterly service visit',
          status: 'scheduled',
          scheduledDate: '2026-01-01T00:00:00.000Z',
          version: 1,
        },
      }),
    );
  await ch.consume(queue, (msg) => {
    if (!msg) return;
    const req = JSON.parse(msg.content.toString()) as { data: { body: { id: string } } };
    ch.sendToQueue(msg.properties.replyTo, answer(req.data.body.id), { correlationId: msg.properties.correlationId });
    ch.ack(msg);
  });
  const server = http.createServer((_req, res) => res.end('{"status":"ok"}')).listen(Number(process.env.HTTP_PORT), '127.0.0.1');
  const stop = () => {
    server.close();
    void conn.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
