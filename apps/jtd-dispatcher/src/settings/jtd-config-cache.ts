import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { afterCommit } from '@app/shared/db/after-commit';

/** NOTIFY channel every write of tenant configuration, source overrides or templates sends (payload: tenant id). */
export const CONFIG_CHANNEL = 'jtd_config';
/** Key space of master data (event types, source types), which only migrations change. */
export const MASTER = '*';

interface Entry {
  at: number;
  value: Promise<unknown>;
}

/**
 * Per-replica cache of what every job creation and every send reads: tenant config, source overrides,
 * templates, master data. Without it those reads were most of a job's round trips.
 *
 * Correctness: entries are grouped by tenant (a key can only be reached through its tenant), a write in
 * this replica drops the tenant's group at once and again after its commit (a read racing the write may
 * have cached the old rows meanwhile), other replicas drop it on the `jtd_config` NOTIFY the
 * write sends in its transaction (so they see it only after commit), and nothing lives longer than
 * `ttlMs`, which bounds staleness if a notification is missed (listener reconnecting, API-only replica).
 */
@Injectable()
export class JtdConfigCache {
  ttlMs = 5000;
  private readonly groups = new Map<string, Map<string, Entry>>();

  async get<T>(tenantId: string, key: string, load: () => Promise<T>): Promise<T> {
    let group = this.groups.get(tenantId);
    const hit = group?.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value as Promise<T>;
    if (!group) this.groups.set(tenantId, (group = new Map()));
    const value = load();
    const entry = { at: Date.now(), value };
    group.set(key, entry);
    // A failed load must not be served to the next caller.
    value.catch(() => (group.get(key) === entry ? group.delete(key) : undefined));
    return value;
  }

  /** Drops one tenant's entries (a write happened), or everything. */
  invalidate(tenantId?: string): void {
    if (tenantId === undefined) this.groups.clear();
    else this.groups.delete(tenantId);
  }

  /** Tells every replica, on commit of `tx`, that the tenant's configuration changed; and this one now and on commit. */
  async changed(tx: EntityManager, tenantId: string): Promise<void> {
    this.invalidate(tenantId);
    afterCommit(tx, `jtd.config:${tenantId}`, () => this.invalidate(tenantId));
    await tx.query(`SELECT pg_notify('${CONFIG_CHANNEL}', $1)`, [tenantId]);
  }
}
