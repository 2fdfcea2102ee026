import { Injectable } from '@nestjs/common';
import { Db, exec, many, maybeOne, sql } from '@app/shared/db/sql';
import { TenantConfig } from '../settings/tenant-config.repository';
import { usagePeriods } from './quiet-hours';

export type UsageLimit = 'daily' | 'monthly';

/** How many of the wanted sends the tenant's limits allow; for the rest, which limit stopped them and when it allows again. */
export interface UsageGrant {
  granted: number;
  held?: { releaseAt: Date; limit: UsageLimit };
}

/**
 * The counters every replica shares in Postgres: per-channel provider rate (`rate_buckets`, one row per
 * channel and minute) and the tenant's daily/monthly usage (`usage_counters`). Both are taken for a whole
 * batch at once: one statement per channel and one lock per tenant period instead of one per job, which is
 * what made the shared rate row the hot spot of the pipeline.
 */
@Injectable()
export class DeliveryCounters {
  /**
   * Takes up to `wanted` send slots of the channel's current minute in one statement; answers how many it
   * got (0 when the minute is full) and when the next minute opens. The UPSERT computes the grant from the
   * row's old value under the row lock, so two replicas can never both take the last slot. Run it outside
   * the claiming transaction (autocommit): holding the shared row's lock until then would serialise replicas.
   */
  async takeRateSlots(db: Db, channel: string, wanted: number, limitPerMinute: number, now: Date): Promise<{ granted: number; retryAt: Date }> {
    const window = new Date(Math.floor(now.getTime() / 60000) * 60000);
    const retryAt = new Date(window.getTime() + 60000);
    if (wanted <= 0) return { granted: 0, retryAt };
    const row = await maybeOne<{ granted: number }>(
      db,
      sql`INSERT INTO rate_buckets (channel_code, window_start, used, last_grant)
            VALUES (${channel}, ${window}, GREATEST(0, LEAST(${wanted}::int, ${limitPerMinute}::int)), GREATEST(0, LEAST(${wanted}::int, ${limitPerMinute}::int)))
          ON CONFLICT (channel_code, window_start) DO UPDATE
            SET used = rate_buckets.used + GREATEST(0, LEAST(${wanted}::int, ${limitPerMinute}::int - rate_buckets.used)),
                last_grant = GREATEST(0, LEAST(${wanted}::int, ${limitPerMinute}::int - rate_buckets.used))
          RETURNING last_grant AS granted`,
    );
    return { granted: row?.granted ?? 0, retryAt };
  }

  /**
   * Forgets rate windows that closed more than an hour ago. Only the current minute is ever read, but one
   * row per channel and minute would otherwise pile up for good (about 7,000 a day).
   */
  purgeRateBuckets(db: Db, now: Date): Promise<number> {
    return exec(db, sql`DELETE FROM rate_buckets WHERE window_start < ${new Date(now.getTime() - 3_600_000)}`);
  }

  /**
   * Counts up to `wanted` first attempts against the tenant's daily/monthly limits (rows locked in `tx`
   * until it commits, day before month, so replicas queue in the same order). Answers how many may go; for
   * the rest, which limit stopped them and when its period allows again.
   */
  async takeUsage(tx: Db, config: TenantConfig, now: Date, wanted = 1): Promise<UsageGrant> {
    if (config.dailyLimit === null && config.monthlyLimit === null) return { granted: wanted };
    const p = usagePeriods(now, config.timezone);
    const checks: Array<[period: string, limit: number | null, releaseAt: Date, kind: UsageLimit]> = [
      [p.day, config.dailyLimit, p.nextDay, 'daily'],
      [p.month, config.monthlyLimit, p.nextMonth, 'monthly'],
    ];
    const used = new Map<string, number>();
    let granted = wanted;
    for (const [period, limit] of checks) {
      if (limit === null) continue;
      await exec(
        tx,
        sql`INSERT INTO usage_counters (tenant_id, period, used) SELECT ${config.tenantId}, ${period}, 0 WHERE ${limit}::int > 0 ON CONFLICT (tenant_id, period) DO NOTHING`,
      );
      const rows = await many<{ used: number }>(
        tx,
        sql`SELECT used FROM usage_counters WHERE tenant_id = ${config.tenantId} AND period = ${period} FOR UPDATE`,
      );
      const u = rows[0]?.used ?? 0;
      used.set(period, u);
      granted = Math.max(0, Math.min(granted, limit - u));
    }
    if (granted > 0) {
      for (const [period, limit] of checks) {
        if (limit === null) continue;
        await exec(tx, sql`UPDATE usage_counters SET used = used + ${granted} WHERE tenant_id = ${config.tenantId} AND period = ${period}`);
      }
    }
    if (granted === wanted) return { granted };
    // The first job left out: the daily limit stops it if the day is full, else the month.
    const [day, dailyLimit, nextDay] = checks[0];
    const dailyFull = dailyLimit !== null && (used.get(day) ?? 0) + granted >= dailyLimit;
    return { granted, held: dailyFull ? { releaseAt: nextDay, limit: 'daily' } : { releaseAt: checks[1][2], limit: 'monthly' } };
  }

  /** Gives back `count` of what `takeUsage` counted in the same periods (jobs counted that will not be sent). */
  async returnUsage(tx: Db, config: TenantConfig, now: Date, count: number): Promise<void> {
    if (count <= 0) return;
    const p = usagePeriods(now, config.timezone);
    for (const [period, limit] of [
      [p.day, config.dailyLimit],
      [p.month, config.monthlyLimit],
    ] as const) {
      if (limit === null) continue;
      await exec(tx, sql`UPDATE usage_counters SET used = GREATEST(0, used - ${count}::int) WHERE tenant_id = ${config.tenantId} AND period = ${period}`);
    }
  }
}
