// Stops the servers that ensureInfrastructure() started in this process (never ones it found running),
// so `npm start` leaves the machine as it found it.
const { spawnSync } = require('node:child_process');

const env = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin` };

function stopStartedInfrastructure(infra, log = () => undefined) {
  if (!infra) return;
  if (infra.postgres === 'embedded-postgres' && require('./embedded-postgres').stopIfStartedHere()) log('stopped embedded PostgreSQL');
  if (infra.postgres === 'pg_ctlcluster' && infra.postgresVersion) {
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', infra.postgresVersion, 'main', 'stop'], { stdio: 'ignore', env });
    log('stopped PostgreSQL (pg_ctlcluster)');
  }
  if (infra.rabbitmq === 'rabbitmq-server') {
    spawnSync('rabbitmqctl', ['stop'], { stdio: 'ignore', env });
    log('stopped RabbitMQ');
  }
  if (infra.redis === 'redis-server') {
    spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'shutdown', 'nosave'], { stdio: 'ignore', env });
    log('stopped Redis');
  }
}

module.exports = { stopStartedInfrastructure };
