import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SERVICES } from '../scripts/lib/services';
import { loadConfig } from '@app/shared/config/load-config';
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
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

/** Compose's `${VAR:-default}` with an empty shell environment: the values a plain `up` would use. */
function interpolate(value: unknown): string {
  return String(value).replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_m, _name, fallback) => fallback ?? '');
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

  it("gives every app an environment its own config validation accepts (production mode)", () => {
    const classes: Record<string, new () => object> = { gateway: GatewayConfig, events: EventsConfig, tickets: TicketsConfig, 'jtd-dispatcher': JtdDispatcherConfig };
    for (const s of SERVICES) {
      const env = Object.fromEntries(Object.entries(compose.services[s.name].environment).map(([k, v]) => [k, interpolate(v)]));
      expect(env.NODE_ENV).toBe('production');
      expect(() => loadConfig(classes[s.name], env)).not.toThrow();
    }
  });
});
