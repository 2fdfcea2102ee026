// A three-node RabbitMQ cluster on loopback for `npm run chaos`, beside the machine's own broker (which it never
// touches): each node its own name, AMQP port, distribution port and data folder under <tmp>/cn-chaos/rabbit/,
// started with the machine's `rabbitmq-server -detached` and clustered with `rabbitmqctl join_cluster`
// (docs/CHAOS.md; how extra nodes run beside a Debian broker: one config file per node with its listener,
// no plugins, folders owned by the `rabbitmq` user).
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const withSbin = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin` };

function sh(cmd, args, { env = {}, timeoutMs = 120000, allowFail = false } = {}) {
  const r = spawnSync(cmd, args, { env: { ...withSbin, ...env }, encoding: 'utf8', timeout: timeoutMs });
  if (!allowFail && r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error?.message}): ${(r.stderr || r.stdout || '').trim().slice(-600)}`);
  }
  return { status: r.status, out: (r.stdout || '').trim(), err: (r.stderr || '').trim() };
}

/**
 * The same as `sh`, without blocking the event loop: the load, the fake provider and the timers of the chaos
 * run live in this process, and a blocked loop would show up as provider timeouts and latency that the system
 * under test did not cause.
 */
function run(cmd, args, { env = {}, timeoutMs = 120000, allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...withSbin, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      if (!allowFail && status !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')} failed (${status ?? signal}): ${(err || out).trim().slice(-600)}`));
      } else resolve({ status, out: out.trim(), err: err.trim() });
    });
  });
}

class RabbitCluster {
  /**
   * @param {{ baseDir: string, names?: string[], amqpPorts?: number[], distPorts?: number[], log?: (m: string) => void }} opts
   */
  constructor({ baseDir, names = ['chaos1', 'chaos2', 'chaos3'], amqpPorts = [5701, 5702, 5703], distPorts = [25701, 25702, 25703], log = () => undefined }) {
    this.baseDir = baseDir;
    this.log = log;
    this.nodes = names.map((name, i) => ({
      name,
      node: `${name}@localhost`,
      port: amqpPorts[i],
      distPort: distPorts[i],
      dir: path.join(baseDir, name),
      running: false,
    }));
  }

  /** amqp URLs of every node, in order (AMQP_URL as a comma-separated list). */
  urls() {
    return this.nodes.map((n) => `amqp://guest:guest@127.0.0.1:${n.port}`);
  }

  nodeEnv(n) {
    return {
      RABBITMQ_NODENAME: n.node,
      RABBITMQ_DIST_PORT: String(n.distPort),
      RABBITMQ_NODE_PORT: String(n.port),
      RABBITMQ_CONFIG_FILE: path.join(n.dir, 'rabbitmq.conf'),
      RABBITMQ_MNESIA_BASE: path.join(n.dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(n.dir, 'log'),
      RABBITMQ_PID_FILE: path.join(n.dir, 'rabbit.pid'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(n.dir, 'enabled_plugins'),
    };
  }

  ctl(n, args, opts) {
    return sh('rabbitmqctl', ['-n', n.node, ...args], opts);
  }

  ctlAsync(n, args, opts) {
    return run('rabbitmqctl', ['-n', n.node, ...args], opts);
  }

  prepare(n) {
    fs.rmSync(n.dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(n.dir, 'mnesia'), { recursive: true });
    fs.mkdirSync(path.join(n.dir, 'log'), { recursive: true });
    fs.writeFileSync(
      path.join(n.dir, 'rabbitmq.conf'),
      [
        `listeners.tcp.local = 127.0.0.1:${n.port}`,
        'loopback_users = none',
        // A node lost from the cluster must not make the others pause (the test stops one on purpose).
        'cluster_partition_handling = ignore',
        // The machine is shared and loaded: no disk alarm because of someone else's files.
        'disk_free_limit.absolute = 50MB',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(n.dir, 'enabled_plugins'), '[].\n');
    sh('chown', ['-R', 'rabbitmq:rabbitmq', n.dir]);
  }

  /** Starts a node whose folder exists and waits until it serves. */
  startNode(n, opts) {
    sh('rabbitmq-server', ['-detached'], { env: this.nodeEnv(n), timeoutMs: 60000 });
    this.awaitNode(n, opts);
  }

  awaitNode(n, { timeoutMs = 180000 } = {}) {
    // `wait` (unlike await_startup) also waits for the VM to register: -detached returns before it has.
    this.ctl(n, ['wait', path.join(n.dir, 'rabbit.pid'), '--timeout', String(Math.round(timeoutMs / 1000))], { timeoutMs: timeoutMs + 10000 });
    this.ctl(n, ['await_startup'], { timeoutMs });
    n.running = true;
  }

  /** Starts three fresh nodes and clusters the second and third with the first. */
  up() {
    fs.mkdirSync(this.baseDir, { recursive: true });
    // Left over from a run that was killed: stop it before wiping its folder.
    for (const n of this.nodes) this.ctl(n, ['stop'], { allowFail: true, timeoutMs: 60000 });
    for (const n of this.nodes) this.prepare(n);
    // All three boot at once (each takes 10-30 s on a loaded machine), then each is waited for.
    for (const n of this.nodes) {
      this.log(`starting RabbitMQ node ${n.node} (AMQP :${n.port}, dist :${n.distPort})`);
      sh('rabbitmq-server', ['-detached'], { env: this.nodeEnv(n), timeoutMs: 60000 });
    }
    for (const n of this.nodes) this.awaitNode(n);
    const [first, ...rest] = this.nodes;
    for (const n of rest) {
      this.ctl(n, ['stop_app']);
      this.ctl(n, ['join_cluster', first.node]);
      this.ctl(n, ['start_app']);
    }
    // Classic queues (retry stages, dead-letter queues, RPC queues) mirrored on every node, so losing the
    // node they were declared on loses neither them nor their messages; quorum queues replicate by Raft.
    this.ctl(first, ['set_policy', '--apply-to', 'queues', '--priority', '0', 'chaos-ha', '^(?!amq\\.)', '{"ha-mode":"all","ha-sync-mode":"automatic"}']);
    const running = this.runningNodes(first);
    if (running.length !== this.nodes.length) throw new Error(`cluster formed with ${running.length} running nodes: ${running.join(', ')}`);
    this.log(`RabbitMQ cluster up: ${running.join(', ')}`);
    return this.urls();
  }

  runningNodes(via = this.nodes.find((n) => n.running)) {
    const r = this.ctl(via, ['cluster_status', '--formatter', 'json'], { allowFail: true, timeoutMs: 30000 });
    if (r.status !== 0) return [];
    try {
      return JSON.parse(r.out).running_nodes ?? [];
    } catch {
      return [];
    }
  }

  /** Every queue of the cluster with its type, depth, unacknowledged count, leader and members. */
  async queues(via = this.nodes.find((n) => n.running)) {
    const r = await this.ctlAsync(
      via,
      ['list_queues', '--formatter', 'json', 'name', 'type', 'messages', 'messages_ready', 'messages_unacknowledged', 'leader', 'members'],
      {
        timeoutMs: 60000,
      },
    );
    return JSON.parse(r.out || '[]');
  }

  /** The node that leads the most quorum queues whose name starts with `prefix`. */
  async quorumLeader(prefix) {
    const counts = new Map();
    for (const q of await this.queues()) {
      if (q.type !== 'quorum' || !String(q.name).startsWith(prefix) || !q.leader) continue;
      counts.set(q.leader, (counts.get(q.leader) ?? 0) + 1);
    }
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    return best && this.nodes.find((n) => n.node === best[0]);
  }

  /** Stops the whole node (Erlang VM included), as a lost machine would be. */
  async stopNode(n) {
    n.running = false;
    await this.ctlAsync(n, ['stop'], { timeoutMs: 90000 });
  }

  /** Starts a stopped node again; it rejoins the cluster from its data folder. */
  async restartNode(n) {
    await run('rabbitmq-server', ['-detached'], { env: this.nodeEnv(n), timeoutMs: 60000 });
    await this.ctlAsync(n, ['wait', path.join(n.dir, 'rabbit.pid'), '--timeout', '180'], { timeoutMs: 190000 });
    await this.ctlAsync(n, ['await_startup'], { timeoutMs: 180000 });
    n.running = true;
  }

  /** Stops every node this cluster started and removes their data (also after a failure). */
  down({ keepData = false } = {}) {
    for (const n of this.nodes) {
      const r = this.ctl(n, ['stop'], { allowFail: true, timeoutMs: 60000 });
      if (r.status !== 0) {
        // The node does not answer: end the VM by its pid file (only ours: the file lives in our folder).
        try {
          const pid = Number(fs.readFileSync(path.join(n.dir, 'rabbit.pid'), 'utf8').trim());
          if (pid > 0) process.kill(pid, 'SIGKILL');
        } catch {
          // no pid file: never started
        }
      }
      n.running = false;
    }
    if (!keepData) fs.rmSync(this.baseDir, { recursive: true, force: true });
  }
}

module.exports = { RabbitCluster, sh, run };

if (require.main === module) {
  const cluster = new RabbitCluster({
    baseDir: path.join(require('node:os').tmpdir(), 'cn-chaos', 'rabbit'),
    log: (m) => console.error(`[rabbit] ${m}`),
  });
  const cmd = process.argv[2];
  if (cmd === 'up') console.log(cluster.up().join(','));
  else if (cmd === 'down') cluster.down();
  else if (cmd === 'queues') cluster.queues(cluster.nodes[0]).then((q) => console.log(JSON.stringify(q, null, 1)));
  else console.error('usage: node scripts/lib/chaos/rabbit-cluster.js up|down|queues');
}
