import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SERVICES } from '../libs/dev/services';
import { ConfigError, loadConfig } from '@app/shared/config/load-config';
import { DEV_JWT_SECRET, DEV_OTP_SECRET, DEV_SEALED_FIELDS_KEY } from '@app/shared/security/dev-defaults';
import { EventsConfig } from '../apps/events/src/events.config';
import { GatewayConfig } from '../apps/gateway/src/gateway.config';
import { JtdDispatcherConfig } from '../apps/jtd-dispatcher/src/jtd-dispatcher.config';
import { TicketsConfig } from '../apps/tickets/src/tickets.config';

/**
 * docker-compose.yml runs the whole stack for ops. Its structure is checked here on every run; where a
 * compose CLI is installed (`docker compose` or `docker-compose`), it must also accept the file — no
 * Docker engine is needed for `config`.
 */
const ROOT = join(__dirname, '..');
const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true });
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const classes: Record<string, new () => object> = {
  gateway: GatewayConfig,
  events: EventsConfig,
  tickets: TicketsConfig,
  'jtd-dispatcher': JtdDispatcherConfig,
};

/** Compose's interpolation (`${VAR}`, `${VAR:-default}`, `${VAR:?error}`) over `env`, the shell plus .env. */
function interpolate(value: unknown, env: Record<string, string> = {}): string {
  return String(value).replace(/\$\{([A-Z0-9_]+)(?:(:?)([-?])([^}]*))?\}/g, (_m, name: string, colon: string, op: string, arg: string) => {
    const v = env[name];
    const unset = v === undefined || (colon === ':' && v === '');
    if (op === '?' && unset) throw new Error(`required variable ${name} is missing a value: ${arg}`);
    return unset ? (op === '-' ? arg : '') : v;
  });
}

/** The variables .env.example declares, with their values. */
const envExample: Record<string, string> = Object.fromEntries(
  readFileSync(join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z0-9_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|_KEY$|SERVICE_ACCOUNT|PROVIDERS/;

/** A .env as an operator fills it in: every secret of .env.example fresh and random; HS256 on purpose. */
function filledEnv(over: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...envExample };
  for (const name of Object.keys(env)) if (SECRET_NAME.test(name)) env[name] = randomBytes(24).toString('hex');
  return {
    ...env,
    SEALED_FIELDS_KEY: randomBytes(32).toString('base64'),
    JTD_TENANT_PROVIDERS: '',
    MSG91_AUTH_KEY: '',
    FCM_SERVICE_ACCOUNT: '',
    JWT_ALLOW_HS256: 'true',
    ...over,
  };
}

/** What an app's environment in compose becomes with `env` as the .env file. */
function appEnv(service: string, env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(compose.services[service].environment).map(([k, v]) => [k, interpolate(v, env)]));
}

/** The variables an app's config refuses with this environment (none: it starts). */
function refused(service: string, env: Record<string, string>): string[] {
  try {
    loadConfig(classes[service], env);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return Object.keys(e.problems).sort();
  }
}

function composeCli(): string[] | undefined {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  return undefined;
}

describe('docker-compose.yml', () => {
  it('is accepted by the compose CLI where one is installed', () => {
    const cli = composeCli();
    const checked = cli ? spawnSync(cli[0], [...cli.slice(1), 'config', '-q'], { cwd: ROOT, encoding: 'utf8' }) : undefined;
    // Without a CLI the structural checks below are the whole check.
    expect(checked ? `${checked.status} ${checked.stderr}`.trim() : '0').toBe('0');
  });

  it('runs postgres and rabbitmq with the management UI, both health-checked', () => {
    expect(compose.services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    // glibc's heap trimming after every statement cost ~27 % of Postgres's CPU per transition (BENCHMARKS.md)
    expect(compose.services.postgres.environment.MALLOC_TRIM_THRESHOLD_).toBe('16777216');
    expect(compose.services.rabbitmq.image).toMatch(/^rabbitmq:.*management/);
    expect(compose.services.rabbitmq.healthcheck.test.join(' ')).toContain('rabbitmq-diagnostics');
  });

  it('runs every app from its own Dockerfile target, health-checked on /health/ready', () => {
    for (const s of SERVICES) {
      const svc = compose.services[s.name];
      expect(svc).toBeDefined();
      expect(svc.build.target).toBe(s.name);
      expect(dockerfile).toMatch(new RegExp(`^FROM runtime AS ${s.name}$`, 'm'));
      expect(dockerfile).toContain(`dist/apps/${s.name}/src/main.js`);
      expect(svc.healthcheck.test.join(' ')).toContain('/health/ready');
      expect(svc.environment.HTTP_PORT).toBe(String(s.port));
    }
  });

  it('gives each service its own database role, never the admin', () => {
    for (const s of SERVICES) {
      const e = compose.services[s.name].environment;
      expect(e.DB_USER).toBe(s.role);
      expect(e.DATABASE_URL).not.toMatch(/\/\/[^/]*@/);
    }
  });

  it('starts apps only after provisioning completed and their dependencies are healthy', () => {
    expect(compose.services.provision.depends_on.postgres.condition).toBe('service_healthy');
    for (const s of SERVICES) {
      const deps = compose.services[s.name].depends_on;
      expect(deps.provision.condition).toBe('service_completed_successfully');
      expect(deps.rabbitmq.condition).toBe('service_healthy');
    }
    for (const s of SERVICES.filter((x) => x.name !== 'gateway')) {
      expect(compose.services.gateway.depends_on[s.name].condition).toBe('service_healthy');
    }
  });

  it('gives every app, with a filled-in .env, an environment its own config validation accepts (production mode)', () => {
    for (const s of SERVICES) {
      const env = appEnv(s.name, filledEnv());
      expect(env.NODE_ENV).toBe('production');
      expect({ app: s.name, refused: refused(s.name, env) }).toEqual({ app: s.name, refused: [] });
    }
  });

  it('refuses to start without .env: every secret is required, none has a default', () => {
    expect(() => Object.values<ComposeService>(compose.services).map((svc) => appEnvOf(svc, {}))).toThrow(/required variable [A-Z_]+ is missing a value/);
    const required = [...composeText.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(
      new Set([
        'POSTGRES_PASSWORD',
        'RABBITMQ_PASSWORD',
        'CN_EVENTS_PASSWORD',
        'CN_TICKETS_PASSWORD',
        'CN_JTD_PASSWORD',
        'CN_GATEWAY_PASSWORD',
        'OTP_SECRET',
        'SEALED_FIELDS_KEY',
        'METRICS_TOKEN',
      ]),
    );
    // Each one is missing alone too: no default hides it anywhere in the file.
    for (const name of new Set(required)) {
      const { [name]: _left, ...rest } = filledEnv();
      expect(() => Object.values<ComposeService>(compose.services).map((svc) => appEnvOf(svc, rest))).toThrow(new RegExp(`required variable ${name} `));
    }
    const defaulted = [...composeText.matchAll(/\$\{([A-Z0-9_]+):?-([^}]*)\}/g)].filter(([, name, value]) => SECRET_NAME.test(name) && value !== '');
    expect(defaulted).toEqual([]);
  });

  it('comes with .env.example, which names every variable compose reads and gives no secret a value', () => {
    const read = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]));
    for (const name of read)
      if (!['RABBITMQ_USER', 'LOG_LEVEL', 'METRICS_TENANT_LABELS'].includes(name))
        expect({ name, declared: name in envExample }).toEqual({ name, declared: true });
    const valued = Object.entries(envExample).filter(([name, value]) => value !== '' && name !== 'JWT_ALLOW_HS256');
    expect(valued).toEqual([]);
    expect(envExample.JWT_ALLOW_HS256).toBe('false');
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('.env');
    expect(readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n')).toContain('.env');
  });

  it('publishes every port on 127.0.0.1; the gateway on PUBLISH_ADDRESS when told', () => {
    for (const [name, svc] of Object.entries<ComposeService>(compose.services)) {
      for (const port of svc.ports ?? []) expect({ name, port: interpolate(port) }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/) });
    }
    expect(compose.services.gateway.ports).toEqual(['${PUBLISH_ADDRESS:-127.0.0.1}:3000:3000']);
    expect(interpolate(compose.services.gateway.ports[0], { PUBLISH_ADDRESS: '0.0.0.0' })).toBe('0.0.0.0:3000:3000');
  });

  it('has every app refuse the development defaults, should a .env carry them', () => {
    const dev = filledEnv({
      CN_EVENTS_PASSWORD: 'cn_events_dev',
      CN_TICKETS_PASSWORD: 'cn_tickets_dev',
      CN_JTD_PASSWORD: 'cn_jtd_dev',
      CN_GATEWAY_PASSWORD: 'cn_gateway_dev',
      RABBITMQ_USER: 'guest',
      RABBITMQ_PASSWORD: 'guest',
      OTP_SECRET: DEV_OTP_SECRET,
      SEALED_FIELDS_KEY: DEV_SEALED_FIELDS_KEY,
      JWT_SECRET: DEV_JWT_SECRET,
      MSG91_AUTH_KEY: 'your-msg91-auth-key',
    });
    expect(Object.fromEntries(SERVICES.map((s) => [s.name, refused(s.name, appEnv(s.name, dev))]))).toEqual({
      gateway: ['AMQP_URL', 'DB_PASSWORD', 'JWT_SECRET'],
      events: ['AMQP_URL', 'DB_PASSWORD', 'SEALED_FIELDS_KEY'],
      tickets: ['AMQP_URL', 'DB_PASSWORD', 'OTP_SECRET', 'SEALED_FIELDS_KEY'],
      'jtd-dispatcher': ['AMQP_URL', 'DB_PASSWORD', 'MSG91_AUTH_KEY', 'SEALED_FIELDS_KEY'],
    });
  });

  it('has the gateway refuse HS256 tokens in production unless JWT_ALLOW_HS256=true, and accept the JWKS instead', () => {
    expect(refused('gateway', appEnv('gateway', filledEnv({ JWT_ALLOW_HS256: 'false' })))).toEqual(['JWT_SECRET']);
    expect(
      refused('gateway', appEnv('gateway', filledEnv({ JWT_ALLOW_HS256: '', JWT_SECRET: '', JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json' }))),
    ).toEqual([]);
    expect(refused('gateway', appEnv('gateway', filledEnv({ JWT_SECRET: '', JWT_JWKS_URL: '' })))).toEqual(['JWT_SECRET']);
  });

  it('runs only the development servers from docker-compose.dev.yml, on 127.0.0.1', () => {
    const dev = parse(readFileSync(join(ROOT, 'docker-compose.dev.yml'), 'utf8'));
    expect(Object.keys(dev.services).sort()).toEqual(['postgres', 'rabbitmq', 'redis']);
    for (const svc of Object.values<ComposeService>(dev.services)) for (const port of svc.ports!) expect(port).toMatch(/^127\.0\.0\.1:/);
  });
});

/** Interpolates a whole service's environment (what `docker compose config` would do). */
/** A service of a compose file, as far as these tests read it. */
interface ComposeService {
  environment?: Record<string, unknown>;
  ports?: string[];
}

function appEnvOf(svc: ComposeService, env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(svc.environment ?? {}).map(([k, v]) => [k, interpolate(v, env)]));
}
