import { afterCommit, commitPending } from '../db/after-commit';
import type { Db } from '../db/sql';

export interface LruTtlCacheOptions {
  /** Names the cache in after-commit keys and logs. */
  name: string;
  /** How long an entry may be answered after its load started; 0 turns the cache off. Bounds how long other replicas lag. */
  ttlMs: number;
  /** Most groups kept; the least recently used goes first. */
  maxGroups: number;
  /** Milliseconds now; tests pass a clock they move. */
  now?: () => number;
}

interface Entry {
  at: number;
  value: Promise<unknown>;
}

/**
 * The one in-process cache of the project, for data that is read on every request and written rarely
 * through this service (status flows, tenant configuration, templates). Entries live in groups (usually a
 * tenant) that are dropped together; a group holds entries under keys (`flows`, `template:<key>`).
 *
 * - Bounded: at most `maxGroups` groups, least recently used dropped first; entries expire after `ttlMs`.
 * - Loads are shared: concurrent misses of one key wait for one load; a failed load is not kept.
 * - Writes: `invalidateOnCommit(tx, group)` drops the group now and again once `tx` commits (a read on
 *   another connection may have put the old rows back in between), and until then `tx` itself reads
 *   through the cache (it sees its own uncommitted rows, which nobody else may see yet).
 * - Other replicas see a change within `ttlMs` (or sooner if the service wires a NOTIFY to `invalidate`).
 */
export class LruTtlCache {
  private readonly groups = new Map<string, Map<string, Entry>>();
  private readonly now: () => number;

  constructor(private readonly options: LruTtlCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The value of `key` in `group`: from memory while fresh, else from `load()` (kept for `ttlMs`). `db`:
   * the caller's transaction, when it has one; a transaction that changed the group reads through.
   */
  get<T>(group: string, key: string, load: () => Promise<T>, db?: Db): Promise<T> {
    if (this.options.ttlMs <= 0 || (db && commitPending(db, this.changedKey(group)))) return load();
    let entries = this.groups.get(group);
    const hit = entries?.get(key);
    const now = this.now();
    if (entries && hit && now - hit.at < this.options.ttlMs) {
      // Most recently used last: Map keeps insertion order.
      this.groups.delete(group);
      this.groups.set(group, entries);
      return hit.value as Promise<T>;
    }
    if (!entries) {
      entries = new Map();
      this.groups.set(group, entries);
      while (this.groups.size > this.options.maxGroups) this.groups.delete(this.groups.keys().next().value!);
    }
    const value = load();
    const entry = { at: now, value };
    entries.set(key, entry);
    const kept = entries;
    value.catch(() => (kept.get(key) === entry ? kept.delete(key) : undefined));
    return value;
  }

  /** Drops a group now (a change committed elsewhere, e.g. announced by NOTIFY), or everything. */
  invalidate(group?: string): void {
    if (group === undefined) this.groups.clear();
    else this.groups.delete(group);
  }

  /** `tx` changes the group's data: drop it now and when `tx` commits; `tx` reads its own rows until then. */
  invalidateOnCommit(tx: Db, group: string): void {
    this.invalidate(group);
    afterCommit(tx, this.changedKey(group), () => this.invalidate(group));
  }

  get size(): number {
    return this.groups.size;
  }

  private changedKey(group: string): string {
    return `${this.options.name}.changed:${group}`;
  }
}
