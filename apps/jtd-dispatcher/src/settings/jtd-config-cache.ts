import { Injectable } from '@nestjs/common';
import { LruTtlCache } from '@app/shared/cache/lru-ttl-cache';
import { afterCommit } from '@app/shared/db/after-commit';
import { Db, exec, sql } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';

/** NOTIFY channel a committed change of tenant configuration, source overrides or templates is announced on (payload: tenant id). */
export const CONFIG_CHANNEL = 'jtd_config';
/** Group of master data (event types, source types), which only migrations change. */
export const MASTER = '*';

/**
 * What every job creation and every send reads, per replica: tenant config, source overrides, templates,
 * master data (without it those reads were most of a job's round trips). The shared LruTtlCache, grouped
 * by tenant (a key is only reached through its tenant):
 * - a write calls `changed(tx, tenantId)`: the tenant's entries go at once and again after the commit, `tx`
 *   reads its own rows meanwhile, and the other dispatchers are told by NOTIFY `jtd_config` once the
 *   transaction committed (sent outside it: a notifying transaction serialises its commit with every other
 *   one; the dispatcher's listener drops the tenant, JtdNotifications);
 * - nothing lives longer than JTD_CONFIG_CACHE_TTL_MS (a missed notification, an API-only replica).
 */
@Injectable()
export class JtdConfigCache {
  private readonly cache: LruTtlCache;

  constructor(
    private readonly db: Transactions,
    config: JtdDispatcherConfig,
  ) {
    this.cache = new LruTtlCache({ name: 'jtdConfig', ttlMs: config.JTD_CONFIG_CACHE_TTL_MS, maxGroups: 1000 });
  }

  /** `key` of `group` (a tenant id, or MASTER) from memory while fresh, else `load()`; `db` is the caller's transaction when it has one. */
  get<T>(group: string, key: string, load: () => Promise<T>, db?: Db): Promise<T> {
    return this.cache.get(group, key, load, db);
  }

  /** Drops one tenant's entries (a change committed in another replica), or everything. */
  invalidate(tenantId?: string): void {
    this.cache.invalidate(tenantId);
  }

  /** `tx` changes the tenant's configuration: dropped here now and on commit, and in the other replicas after the commit. */
  changed(tx: Db, tenantId: string): void {
    this.cache.invalidateOnCommit(tx, tenantId);
    afterCommit(tx, `jtd.config.notify:${tenantId}`, () => {
      // The TTL still bounds staleness if this is lost.
      exec(this.db.reader, sql`SELECT pg_notify(${CONFIG_CHANNEL}, ${tenantId})`).catch(() => undefined);
    });
  }
}
