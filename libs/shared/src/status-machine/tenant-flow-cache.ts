import { LruTtlCache } from '../cache/lru-ttl-cache';
import type { Db } from '../db/sql';

export interface TenantFlowCacheOptions<T> {
  /** Names the cache (after-commit keys). */
  name: string;
  /** How long a replica answers from its copy; bounds how long other replicas lag behind a change. 0: no cache. */
  ttlMs: number;
  /** Most tenants kept (least recently used dropped first); default 1,000. */
  maxTenants?: number;
  /**
   * Everything a service derives from a tenant's flows, loaded together (all its machines in one
   * `StatusFlowStore.loadMany`, plus its own settings): one entry per tenant, whatever the number of machines.
   */
  load(db: Db, tenantId: string): Promise<T>;
}

/**
 * One cache of a service's status flows, for all its machines. Every move, creation and dashboard needs
 * the tenant's flows, which change only through the service's own settings routes and tenant seeding, so
 * they are kept in process per tenant:
 * - a write calls `changed(tx, tenantId)` (StatusFlowStore does it for you when built with
 *   `{ onChange: (tx, tenantId) => cache.changed(tx, tenantId) }`): the tenant's entry goes at once and again
 *   after the commit, and `tx` reads its own rows until then;
 * - other replicas see the change when their entry expires (`ttlMs`).
 */
export class TenantFlowCache<T> {
  private readonly cache: LruTtlCache;

  constructor(private readonly options: TenantFlowCacheOptions<T>) {
    this.cache = new LruTtlCache({ name: options.name, ttlMs: options.ttlMs, maxGroups: options.maxTenants ?? 1000 });
  }

  /** The tenant's flows, from memory while fresh; `db` is the caller's transaction when it has one. */
  get(db: Db, tenantId: string): Promise<T> {
    return this.cache.get(tenantId, 'flows', () => this.options.load(db, tenantId), db);
  }

  /** The flows as the tables hold them now, seen through `db` (settings routes answer from these). */
  fresh(db: Db, tenantId: string): Promise<T> {
    return this.options.load(db, tenantId);
  }

  /** `tx` changes the tenant's flows. */
  changed(tx: Db, tenantId: string): void {
    this.cache.invalidateOnCommit(tx, tenantId);
  }
}
