import { Injectable } from '@nestjs/common';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { JobRow } from '../jobs/job-row';
import { ChannelTerms } from '../master-data/master-data.repository';
import { TenantConfig } from '../settings/tenant-config.repository';
import { DeliveryCounters, UsageLimit } from './delivery-counters.repository';

/** A job that passed its gates, with its tenant's config (the usage limits). */
export interface Admissible {
  job: JobRow;
  config: TenantConfig;
}

export interface Admission<T extends Admissible> {
  /** May be sent now. */
  go: T[];
  /** Over the channel's provider rate this minute: wait for the next one without changing status. */
  waiting: Array<{ item: T; until: Date }>;
  /** Over the tenant's daily or monthly limit: `held` until the period allows again. */
  held: Array<{ item: T; until: Date; limit: UsageLimit }>;
}

/**
 * The shared limits, for a whole batch: each channel's provider rate per minute (slots for the batch in
 * one statement per channel; the batch is in priority order, so higher priority gets the slots first), then
 * the tenants' daily/monthly usage, counted once per job on its first attempt (tenants in a fixed order:
 * their counter rows are locked until the claim commits). A slot taken for a job that is then held is left
 * unused: the cap errs low.
 */
@Injectable()
export class DeliveryAdmission {
  constructor(
    private readonly db: Transactions,
    private readonly counters: DeliveryCounters,
  ) {}

  async admit<T extends Admissible>(tx: Db, batch: readonly T[], channels: ReadonlyMap<string, ChannelTerms>, now: Date): Promise<Admission<T>> {
    const out: Admission<T> = { go: [], waiting: [], held: [] };
    const withSlot: T[] = [];
    for (const [channel, group] of groupBy(batch, (c) => c.job.channelCode)) {
      // Autocommit on another connection: the bucket row is shared by every replica.
      const { granted, retryAt } = await this.counters.takeRateSlots(this.db.reader, channel, group.length, channels.get(channel)?.limit ?? 0, now);
      withSlot.push(...group.slice(0, granted));
      for (const item of group.slice(granted)) out.waiting.push({ item, until: retryAt });
    }
    out.go.push(...withSlot.filter((c) => c.job.attempts > 0));
    for (const group of firstAttemptsByTenant(withSlot)) {
      const usage = await this.counters.takeUsage(tx, group[0].config, now, group.length);
      out.go.push(...group.slice(0, usage.granted));
      for (const item of group.slice(usage.granted)) out.held.push({ item, until: usage.held!.releaseAt, limit: usage.held!.limit });
    }
    return out;
  }

  /**
   * Jobs admitted (`go`) that will not be sent after all (leased at intake, their dedupe key named a job
   * already): the usage their first attempts counted is given back. Their rate slots stay taken (the cap errs low).
   */
  async giveBack<T extends Admissible>(tx: Db, admitted: readonly T[], now: Date): Promise<void> {
    for (const group of firstAttemptsByTenant(admitted)) await this.counters.returnUsage(tx, group[0].config, now, group.length);
  }
}

/** First attempts (the ones usage counts) per tenant, tenants in a fixed order: their counter rows are locked in it. */
function firstAttemptsByTenant<T extends Admissible>(items: readonly T[]): T[][] {
  const byTenant = groupBy(
    items.filter((c) => c.job.attempts === 0),
    (c) => c.job.tenantId,
  );
  return [...byTenant.keys()].sort().map((tenant) => byTenant.get(tenant)!);
}

export function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const i of items) (out.get(key(i)) ?? out.set(key(i), []).get(key(i))!).push(i);
  return out;
}
