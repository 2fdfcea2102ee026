import type Redis from 'ioredis';

/**
 * The GCRA take of `gcraTake` (rate-limiter.ts) as one Lua script, so reading and moving a key's `tat` is
 * atomic across replicas. Redis's own clock (TIME) is used, not the callers': replicas whose clocks
 * disagree still share one budget. The key expires once its `tat` has passed: an idle key holds no state.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local nxt = tat + interval
local over = nxt - now - window
if over > 0.001 then return math.ceil(over) end
redis.call('SET', KEYS[1], string.format('%.3f', nxt), 'PX', math.ceil(nxt - now) + 1000)
return 0
`;

/** Every take gives up after this long: a slow Redis must not slow every request down with it. */
const COMMAND_TIMEOUT_MS = 250;

type WithTake = Redis & { rateLimitTake(key: string, intervalMs: string, windowMs: string): Promise<number> };

/**
 * ioredis is loaded when a gateway names a shared store, not with this module: a gateway without one (a single
 * replica, the default) carries none of it. Idle RSS 112.0–113.2 MB against 116.8–117.4 with it loaded at
 * start (goal 120, BENCHMARKS.md thirteenth round).
 */
function loadRedis(): typeof Redis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('ioredis') as typeof import('ioredis')).default;
}

/** Rate limit budgets in Redis, shared by every gateway replica that names the same store and prefix. */
export class RedisRateLimitStore {
  private readonly redis: WithTake;
  private readonly interval: string;
  private readonly window: string;

  constructor(
    url: string,
    private readonly prefix: string,
    intervalMs: number,
    windowMs: number,
  ) {
    this.interval = String(intervalMs);
    this.window = String(windowMs);
    this.redis = new (loadRedis())(url, {
      lazyConnect: true,
      // Fail at once while disconnected (the limiter then counts locally) instead of queueing requests.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      // ioredis waits this long for a socket that already failed to close; it held a stopping gateway open.
      disconnectTimeout: 200,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      // One round trip for the takes of many concurrent requests.
      enableAutoPipelining: true,
    }) as WithTake;
    this.redis.defineCommand('rateLimitTake', { numberOfKeys: 1, lua: TAKE });
    // Failures surface on the takes (and are reported there); an unhandled 'error' event would crash.
    this.redis.on('error', () => undefined);
  }

  connect(): Promise<void> {
    return this.redis.connect();
  }

  /** Milliseconds to wait before `key` may make a request (0: allowed, and counted). */
  async take(key: string): Promise<number> {
    return Number(await this.redis.rateLimitTake(this.prefix + key, this.interval, this.window));
  }

  close(): void {
    this.redis.disconnect();
  }
}
