import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantConfig } from '../settings/tenant-config.repository';
import { usagePeriods } from './quiet-hours';

/**
 * The counters every replica shares in Postgres: per-channel provider rate (one row per channel and
 * minute, incremented only while under the limit, so two replicas can never both take the last slot) and
 * the tenant's daily/monthly usage.
 */
@Injectable()
export class DeliveryGates {
  /** Takes one send slot of the channel's current minute; null when full, with the time the next minute opens. */
  async takeRateSlot(tx: EntityManager, channel: string, limitPerMinute: number, now: Date): Promise<{ ok: true } | { ok: false; retryAt: Date }> {
    const window = new Date(Math.floor(now.getTime() / 60000) * 60000);
    const rows = await tx.query(
      `INSERT INTO rate_buckets (channel_code, window_start, used) VALUES ($1, $2, 1)
       ON CONFLICT (channel_code, window_start) DO UPDATE SET used = rate_buckets.used + 1 WHERE rate_buckets.used < $3
       RETURNING used`,
      [channel, window, limitPerMinute],
    );
    return rows.length > 0 ? { ok: true } : { ok: false, retryAt: new Date(window.getTime() + 60000) };
  }

  /** Counts one send against the tenant's limits; when a limit is reached, the time the period allows again. */
  async takeUsage(tx: EntityManager, config: TenantConfig, now: Date): Promise<{ ok: true } | { ok: false; releaseAt: Date; limit: 'daily' | 'monthly' }> {
    if (config.dailyLimit === null && config.monthlyLimit === null) return { ok: true };
    const p = usagePeriods(now, config.timezone);
    const checks: Array<[string, number | null, Date, 'daily' | 'monthly']> = [
      [p.day, config.dailyLimit, p.nextDay, 'daily'],
      [p.month, config.monthlyLimit, p.nextMonth, 'monthly'],
    ];
    for (const [period, limit, releaseAt, kind] of checks) {
      if (limit === null) continue;
      const rows = await tx.query(
        `INSERT INTO usage_counters (tenant_id, period, used) SELECT $1, $2, 0 WHERE $3 > 0
         ON CONFLICT (tenant_id, period) DO NOTHING`,
        [config.tenantId, period, limit],
      );
      void rows;
      const used = await tx.query(`SELECT used FROM usage_counters WHERE tenant_id = $1 AND period = $2 FOR UPDATE`, [config.tenantId, period]);
      if ((used[0]?.used ?? 0) >= limit) return { ok: false, releaseAt, limit: kind };
    }
    for (const [period, limit] of checks) {
      if (limit === null) continue;
      await tx.query(`UPDATE usage_counters SET used = used + 1 WHERE tenant_id = $1 AND period = $2`, [config.tenantId, period]);
    }
    return { ok: true };
  }
}
