import { InMemoryTransactions } from '@app/shared/testing/in-memory-transactions';
import { job, OTHER_TENANT, TENANT, tenantConfig } from '../../test/support/unit-factories';
import { ChannelTerms } from '../master-data/master-data.repository';
import { TenantConfig } from '../settings/tenant-config.repository';
import { DeliveryAdmission } from './delivery-admission';
import { DeliveryCounters, UsageGrant } from './delivery-counters.repository';

const NOW = new Date('2026-11-22T06:00:10Z');

/** The shared counters in memory: slots left per channel this minute, sends left per tenant today. */
function harness(slots: Record<string, number>, today: Record<string, number> = {}) {
  const usageCalls: Array<{ tenantId: string; wanted: number }> = [];
  const counters = {
    takeRateSlots: async (_db: unknown, channel: string, wanted: number, limit: number) => {
      const left = Math.min(slots[channel] ?? limit, limit);
      const granted = Math.max(0, Math.min(wanted, left));
      slots[channel] = left - granted;
      return { granted, retryAt: new Date('2026-11-22T06:01:00Z') };
    },
    takeUsage: async (_tx: unknown, config: TenantConfig, _now: Date, wanted: number): Promise<UsageGrant> => {
      usageCalls.push({ tenantId: config.tenantId, wanted });
      const left = today[config.tenantId] ?? Infinity;
      const granted = Math.min(wanted, left);
      today[config.tenantId] = left - granted;
      return granted === wanted ? { granted } : { granted, held: { releaseAt: new Date('2026-11-22T18:30:00Z'), limit: 'daily' } };
    },
  } as unknown as DeliveryCounters;
  const db = new InMemoryTransactions();
  const admission = new DeliveryAdmission(db, counters);
  const terms = new Map<string, ChannelTerms>([
    ['email', { limit: 100, cost: '0.2500' }],
    ['sms', { limit: 50, cost: '0.7500' }],
  ]);
  return {
    admit: <T extends { job: ReturnType<typeof job>; config: TenantConfig }>(batch: T[]) => db.run((tx) => admission.admit(tx, batch, terms, NOW)),
    usageCalls,
  };
}

const item = (over: Parameters<typeof job>[0] = {}, config = tenantConfig()) => ({ job: job(over), config });

describe('delivery admission: provider rates and tenant limits', () => {
  it('gives a channel’s slots of the minute in batch order (higher priority first); the rest wait for the next minute', async () => {
    const h = harness({ sms: 2 });
    const batch = [
      item({ channelCode: 'sms', priority: 9 }),
      item({ channelCode: 'sms', priority: 5 }),
      item({ channelCode: 'sms', priority: 5 }),
      item({ channelCode: 'email' }),
    ];
    const { go, waiting, held } = await h.admit(batch);
    expect(go.map((c) => c.job.id)).toEqual([batch[0].job.id, batch[1].job.id, batch[3].job.id]);
    expect(waiting).toEqual([{ item: batch[2], until: new Date('2026-11-22T06:01:00Z') }]);
    expect(held).toEqual([]);
  });

  it('lets nothing through on a channel without a rate', async () => {
    const { go, waiting } = await harness({}).admit([item({ channelCode: 'push' })]);
    expect([go.length, waiting.length]).toEqual([0, 1]);
  });

  it('counts a job against the tenant’s daily limit once, on its first attempt, and holds what is over it until the period ends', async () => {
    const h = harness({}, { [TENANT]: 1 });
    const limited = tenantConfig({ dailyLimit: 3 });
    const retry = item({ attempts: 1 }, limited);
    const first = item({}, limited);
    const second = item({}, limited);
    const { go, held } = await h.admit([retry, first, second]);
    expect(go).toEqual([retry, first]);
    expect(held).toEqual([{ item: second, until: new Date('2026-11-22T18:30:00Z'), limit: 'daily' }]);
    expect(h.usageCalls).toEqual([{ tenantId: TENANT, wanted: 2 }]);
  });

  it('takes each tenant’s usage once per batch, tenants in a fixed order', async () => {
    const h = harness({});
    const other = tenantConfig({ tenantId: OTHER_TENANT, dailyLimit: 10 });
    await h.admit([item({ tenantId: OTHER_TENANT }, other), item({}, tenantConfig({ dailyLimit: 10 })), item({ tenantId: OTHER_TENANT }, other)]);
    expect(h.usageCalls).toEqual([
      { tenantId: TENANT, wanted: 1 },
      { tenantId: OTHER_TENANT, wanted: 2 },
    ]);
  });
});
