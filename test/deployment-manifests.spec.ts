import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '@app/shared/config/load-config';
import { EventsConfig } from '../apps/events/src/events.config';
import { GatewayConfig } from '../apps/gateway/src/gateway.config';
import { JtdDispatcherConfig } from '../apps/jtd-dispatcher/src/jtd-dispatcher.config';
import { TicketsConfig } from '../apps/tickets/src/tickets.config';

/**
 * The Kubernetes example (deploy/kubernetes, explained in docs/DEPLOYMENT.md) is read the way a cluster and
 * the apps would read it: each app's environment is assembled from its ConfigMap, literals, secrets and
 * `$(VAR)` references, then loaded by the app's own config class in production mode, which refuses what
 * an app would refuse at start.
 */

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } };
type Labels = Record<string, string>;
interface Container {
  image: string;
  ports: unknown[];
  env: EnvVar[];
  envFrom?: Array<{ configMapRef: { name: string } }>;
  readinessProbe: { httpGet: unknown };
  livenessProbe: { httpGet: unknown };
  resources: { requests?: unknown; limits: { memory?: string } };
  volumeMounts?: unknown[];
}
/** The fields of each kind this test reads. */
interface Specs {
  Deployment: {
    replicas: number;
    strategy: { rollingUpdate: { maxUnavailable: number } };
    selector: { matchLabels: Labels };
    template: { metadata: { labels: Labels }; spec: { containers: Container[]; volumes?: unknown[] } };
  };
  PodDisruptionBudget: { selector: { matchLabels: Labels }; minAvailable?: number; maxUnavailable?: number };
  PersistentVolumeClaim: { accessModes: string[] };
  RabbitmqCluster: { replicas: number; rabbitmq: { additionalConfig: string } };
  ConfigMap: never;
}
interface Manifest<S = unknown> {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: S;
  data?: Record<string, string>;
}

const root = join(__dirname, '..');
const dir = join(root, 'deploy', 'kubernetes');
const manifests: Manifest[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((f) =>
    parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${f}: ${doc.errors[0].message}`);
      return doc.toJS() as Manifest;
    }),
  );
function find<K extends keyof Specs>(kind: K, name: string): Manifest<Specs[K]> {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
  return found as Manifest<Specs[K]>;
}

const APPS: ReadonlyArray<{ name: string; config: new () => object; port: number }> = [
  { name: 'gateway', config: GatewayConfig, port: 3000 },
  { name: 'events', config: EventsConfig, port: 3101 },
  { name: 'tickets', config: TicketsConfig, port: 3102 },
  { name: 'jtd-dispatcher', config: JtdDispatcherConfig, port: 3103 },
];

/** Values an operator would put in the secrets: fresh random ones, of the shape each variable asks for. */
function secretValue(secret: string, key: string): string {
  if (secret === 'contractnest-rabbitmq-default-user') return key === 'username' ? 'contractnest' : randomBytes(18).toString('hex');
  if (key === 'SEALED_FIELDS_KEY') return randomBytes(32).toString('base64');
  if (key === 'RATE_LIMIT_REDIS_URL') return 'redis://contractnest-redis.contractnest.svc:6379/0';
  if (key === 'POSTGRES_ADMIN_URL') return `postgres://postgres:${randomBytes(12).toString('hex')}@contractnest-db.example.internal:5432/postgres`;
  return randomBytes(24).toString('hex');
}

/** The container's environment as Kubernetes builds it: envFrom first, then `env` in order with `$(VAR)` expansion. */
function environment(container: Pick<Container, 'env' | 'envFrom'>, secrets = secretValue): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) Object.assign(env, find('ConfigMap', from.configMapRef.name).data ?? {});
  for (const v of container.env ?? []) {
    const ref = v.valueFrom?.secretKeyRef;
    if (ref?.optional) continue; // an optional provider key left out: the app must start without it
    env[v.name] = ref ? secrets(ref.name, ref.key) : (v.value ?? '').replace(/\$\(([A-Z0-9_]+)\)/g, (whole, name: string) => env[name] ?? whole);
  }
  return env;
}

const container = (name: string): Container => find('Deployment', name).spec.template.spec.containers[0];

describe('the Kubernetes example (deploy/kubernetes)', () => {
  it('parses, and puts everything but the namespace itself in the contractnest namespace', () => {
    expect(manifests.length).toBeGreaterThan(10);
    for (const m of manifests.filter((x) => x.kind !== 'Namespace'))
      expect(`${m.kind}/${m.metadata.name} in ${m.metadata.namespace}`).toMatch(/ in contractnest$/);
  });

  describe.each(APPS)('$name', ({ name, config, port }) => {
    it('runs two replicas, rolls without going below them, and keeps one through voluntary disruptions', () => {
      const deployment = find('Deployment', name)!;
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
      expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
      const pdb = find('PodDisruptionBudget', name)!;
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
      expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    });

    it('probes readiness on /health/ready and liveness on /health/live of the port the app listens on', () => {
      const c = container(name);
      expect(c.ports).toEqual([{ name: 'http', containerPort: port }]);
      expect(environment(c).HTTP_PORT).toBe(String(port));
      expect(c.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
    });

    it('gives the app a production configuration it accepts, with every secret from a Secret', () => {
      const c = container(name);
      const env = environment(c);
      expect(env.NODE_ENV).toBe('production');
      expect(() => loadConfig(config, env)).not.toThrow();
      for (const v of c.env)
        if (/PASSWORD|SECRET|TOKEN|KEY|ACCOUNT/.test(v.name)) expect({ [v.name]: v.valueFrom?.secretKeyRef?.name }).not.toEqual({ [v.name]: undefined });
    });

    it('is refused (as at start) with the development password of its database role in place of the secret', () => {
      const c = container(name);
      const role = c.env.find((v) => v.name === 'DB_USER')?.value;
      expect(role).toMatch(/^cn_/);
      const env = environment(c, (secret, key) => (/^CN_[A-Z]+_PASSWORD$/.test(key) ? `${role}_dev` : secretValue(secret, key)));
      expect(() => loadConfig(config, env)).toThrow(/DB_PASSWORD \(is a development default/);
    });

    it('runs an image built from a target of the Dockerfile', () => {
      const image = container(name).image;
      const target = image.replace(/^.*\//, '').split(':')[0];
      expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain(`FROM runtime AS ${target}\n`);
    });
  });

  it('mounts one ReadWriteMany evidence store in the gateway and the tickets service', () => {
    const pvc = find('PersistentVolumeClaim', 'contractnest-evidence')!;
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
    for (const name of ['gateway', 'tickets']) {
      const pod = find('Deployment', name).spec.template.spec;
      expect(pod.volumes).toEqual([{ name: 'evidence', persistentVolumeClaim: { claimName: 'contractnest-evidence' } }]);
      expect(pod.containers[0].volumeMounts).toEqual([{ name: 'evidence', mountPath: '/app/.data/evidence' }]);
    }
  });

  it('runs RabbitMQ as a three-node cluster whose quorum queues start on all three, losing at most one node at a time', () => {
    const cluster = find('RabbitmqCluster', 'contractnest-rabbitmq')!;
    expect(cluster.spec.replicas).toBe(3);
    expect(cluster.spec.rabbitmq.additionalConfig).toContain('quorum_queue.initial_cluster_size = 3');
    expect(find('PodDisruptionBudget', 'contractnest-rabbitmq').spec.maxUnavailable).toBe(1);
  });

  it('lists in docs/DEPLOYMENT.md exactly the secret keys the manifests read', () => {
    const keys = new Set<string>();
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        const ref = (node as { secretKeyRef?: { name: string; key: string } }).secretKeyRef;
        if (ref?.name === 'contractnest-secrets') keys.add(ref.key);
        Object.values(node).forEach(visit);
      }
    };
    visit(manifests);
    const doc = readFileSync(join(root, 'docs', 'DEPLOYMENT.md'), 'utf8');
    const command = doc.slice(doc.indexOf('kubectl -n contractnest create secret generic contractnest-secrets'));
    const documented = [...command.slice(0, command.indexOf('```')).matchAll(/--from-literal=([A-Z0-9_]+)=/g)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...keys].sort());
  });
});
