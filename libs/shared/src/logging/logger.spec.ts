import { Logger } from '@nestjs/common';
import { Writable } from 'node:stream';
import { runWithContext, systemContext } from '../context/request-context';
import { createLogger, PinoNestLogger } from './logger';

/** A pino destination that keeps every line, parsed. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

describe('JSON logger', () => {
  const TENANT = '6f1d2c3b-0000-4000-8000-000000000001';

  it('stamps the correlation id and tenant of the work in progress on every line', async () => {
    const { lines, stream } = capture();
    const logger = createLogger('events', 'debug', stream);
    const ctx = systemContext(TENANT, 'corr-123');
    await runWithContext(ctx, async () => {
      logger.info('first');
      await new Promise((r) => setTimeout(r, 5));
      logger.debug({ step: 2 }, 'after an await');
      await Promise.resolve().then(() => logger.warn('in a continuation'));
    });
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatchObject({ service: 'events', correlationId: 'corr-123', tenantId: TENANT });
    expect(lines.map((l) => l.level)).toEqual(['info', 'debug', 'warn']);
    expect(typeof lines[0].time).toBe('string');
  });

  it('keeps concurrent flows apart', async () => {
    const { lines, stream } = capture();
    const logger = createLogger('tickets', 'info', stream);
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        runWithContext(systemContext(TENANT, `corr-${id}`), async () => {
          await new Promise((r) => setTimeout(r, Math.random() * 10));
          logger.info(`flow ${id}`);
        }),
      ),
    );
    for (const line of lines) expect(line.correlationId).toBe(`corr-${String(line.msg).slice(-1)}`);
  });

  it('writes lines outside any request without a correlation id', () => {
    const { lines, stream } = capture();
    createLogger('gateway', 'info', stream).info('booting');
    expect(lines[0].correlationId).toBeUndefined();
    expect(lines[0]).toMatchObject({ service: 'gateway', msg: 'booting' });
  });

  it('gives Nest framework logs the same shape, with the correlation id', () => {
    const { lines, stream } = capture();
    const nest = new PinoNestLogger(createLogger('events', 'info', stream));
    Logger.overrideLogger(nest);
    try {
      runWithContext(systemContext(TENANT, 'corr-nest'), () => {
        new Logger('Outbox').log('relayed 3 messages');
        new Logger('Rpc').error('unexpected error', 'Error: boom\n    at x (y.ts:1:1)');
        new Logger('Rpc').error(new Error('plain error'));
      });
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines[0]).toMatchObject({ level: 'info', context: 'Outbox', msg: 'relayed 3 messages', correlationId: 'corr-nest' });
    expect(lines[1]).toMatchObject({ level: 'error', context: 'Rpc', msg: 'unexpected error', correlationId: 'corr-nest' });
    expect(lines[1].trace).toContain('Error: boom');
    expect(lines[2]).toMatchObject({ level: 'error', context: 'Rpc', msg: 'plain error' });
    expect((lines[2].err as Error).stack).toContain('plain error');
  });

  it('redacts secrets in logged objects', () => {
    const { lines, stream } = capture();
    createLogger('jtd-dispatcher', 'info', stream).info({ provider: { authkey: 'msg91-key', password: 'p', url: 'https://x' } }, 'calling provider');
    expect(lines[0].provider).toEqual({ authkey: '[redacted]', password: '[redacted]', url: 'https://x' });
  });

  it('honours the level', () => {
    const { lines, stream } = capture();
    const logger = createLogger('events', 'warn', stream);
    logger.info('hidden');
    logger.error('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });
});
