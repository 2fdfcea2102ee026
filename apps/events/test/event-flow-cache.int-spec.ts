import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { getEventStatuses, replaceEventStatuses } from '@app/shared/api/events/cockpit-settings.operations';
import { listEventTransitions, listEvents, transitionEvent } from '@app/shared/api/events/contract-events.operations';
import { activateContract, createContract } from '@app/shared/api/events/contracts.operations';
import { eventually } from '@app/shared/testing/eventually';
import { createEventsApp } from '../src/events.app';
import { DEFAULT_FLOWS, DEFAULT_SETTINGS } from '../src/status-config/default-flows';
import { EventFlowService } from '../src/status-config/event-flow.service';
import { EventsHarness, startEventsHarness } from './support/events-harness';

/**
 * Tenants' status flows are kept in process. This replica keeps them for a minute (long enough that only
 * invalidation can explain a fresh answer); a second replica on the same database and queues keeps them
 * for a moment, so a change made elsewhere reaches it within that bound.
 */
describe('status flows kept in process', () => {
  let h: EventsHarness;
  let other: INestApplication;
  const OTHER_TTL_MS = 600;

  beforeAll(async () => {
    h = await startEventsHarness({ env: { EVENT_FLOW_CACHE_TTL_MS: '60000' } });
    other = await createEventsApp(h.env.env('events', { EVENT_SCHEDULER_ENABLED: 'false', EVENT_FLOW_CACHE_TTL_MS: String(OTHER_TTL_MS) }));
  });

  afterAll(async () => {
    await other?.close();
    await h?.close();
  });

  const leadDays = async (app: INestApplication, tenantId: string) =>
    (await app.get(EventFlowService).loadAll(app.get(DataSource).manager, tenantId)).service.settings.dueLeadDays;

  const setLeadDays = (app: INestApplication, tenantId: string, dueLeadDays: number) =>
    app
      .get(DataSource)
      .transaction((tx) => app.get(EventFlowService).replace(tx, tenantId, 'service', DEFAULT_FLOWS.service, { ...DEFAULT_SETTINGS.service, dueLeadDays }));

  it('applies a change made through this replica at once, to that tenant only', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    expect(await leadDays(h.app, a)).toBe(7);
    expect(await leadDays(h.app, b)).toBe(7);
    await setLeadDays(h.app, a, 3);
    expect(await leadDays(h.app, a)).toBe(3);
    expect(await leadDays(h.app, b)).toBe(7);
    const flow = await h.app.get(EventFlowService).load(h.app.get(DataSource).manager, a, 'service');
    expect(flow.isTenantOverride).toBe(true);
  });

  it('does not keep what it read while a change was not yet committed; the writer sees its own change', async () => {
    const tenantId = randomUUID();
    const flows = h.app.get(EventFlowService);
    expect(await leadDays(h.app, tenantId)).toBe(7);
    let written!: () => void;
    const replaced = new Promise<void>((resolve) => (written = resolve));
    let readOutside!: () => void;
    const outsideDone = new Promise<void>((resolve) => (readOutside = resolve));
    let seenInside: number | undefined;
    const writing = h.app.get(DataSource).transaction(async (tx) => {
      await flows.replace(tx, tenantId, 'service', DEFAULT_FLOWS.service, { ...DEFAULT_SETTINGS.service, dueLeadDays: 2 });
      written();
      await outsideDone;
      seenInside = (await flows.loadAll(tx, tenantId)).service.settings.dueLeadDays;
    });
    await replaced;
    // Other connections still see the committed rows; this read may be shared only until the commit.
    expect(await leadDays(h.app, tenantId)).toBe(7);
    readOutside();
    await writing;
    expect(seenInside).toBe(2);
    expect(await leadDays(h.app, tenantId)).toBe(2);
  });

  it('forgets nothing when the change rolls back', async () => {
    const tenantId = randomUUID();
    await expect(
      h.app.get(DataSource).transaction(async (tx) => {
        await h.app.get(EventFlowService).replace(tx, tenantId, 'service', DEFAULT_FLOWS.service, { ...DEFAULT_SETTINGS.service, dueLeadDays: 1 });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await leadDays(h.app, tenantId)).toBe(7);
  });

  it('sees a change made on another replica within its time to live', async () => {
    const tenantId = randomUUID();
    expect(await leadDays(other, tenantId)).toBe(7);
    await setLeadDays(h.app, tenantId, 4);
    const changedAt = Date.now();
    await eventually(async () => expect(await leadDays(other, tenantId)).toBe(4), { timeoutMs: OTHER_TTL_MS * 10 });
    expect(Date.now() - changedAt).toBeLessThan(OTHER_TTL_MS * 10);
  });

  it('moves events by the flow the tenant saved a moment ago', async () => {
    const tenantId = randomUUID();
    const c = await h.rpc.ok(
      createContract,
      {
        contractNumber: `CN-${randomUUID().slice(0, 8)}`,
        title: 'Cache check',
        customer: { name: 'Acme Foods' },
        startDate: '2030-01-01',
        endDate: '2030-12-31',
        timezone: 'Asia/Kolkata',
        services: [{ name: 'Visit', quantity: 1 }],
        spareParts: [],
      },
      { tenantId },
    );
    await h.rpc.ok(activateContract, { id: c.id }, { tenantId });
    const [e] = (await h.rpc.ok(listEvents, { contractId: c.id, limit: 10 }, { tenantId })).items;
    // cached with the default flow, where scheduled → assigned is allowed
    expect((await h.rpc.ok(listEventTransitions, { id: e.id }, { tenantId })).items.map((t) => t.toStatus)).toContain('assigned');
    const current = await h.rpc.ok(getEventStatuses, { eventType: 'service' }, { tenantId });
    await h.rpc.ok(
      replaceEventStatuses,
      {
        eventType: 'service',
        statuses: current.statuses,
        transitions: current.transitions.filter((t) => !(t.from === 'scheduled' && t.to === 'assigned')),
        dueLeadDays: current.dueLeadDays,
      },
      { tenantId },
    );
    expect(await h.rpc.call(transitionEvent, { id: e.id, toStatus: 'assigned', version: e.version }, { tenantId })).toMatchObject({
      ok: false,
      error: { code: 'TRANSITION_NOT_ALLOWED' },
    });
  });
});
