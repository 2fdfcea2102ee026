import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { InMemoryStatusFlows, InMemoryStatusHistory } from '@app/shared/testing/in-memory-status';
import { InMemoryTransactions } from '@app/shared/testing/in-memory-transactions';
import { RecordingOutbox } from '@app/shared/testing/recording-outbox';
import { FixedClock } from '@app/shared/time/clock';
import { job, OTHER_TENANT, seededFlow, seededFlows, TENANT, USER, userContext } from '../../test/support/unit-factories';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { JobFlows } from './job-flows';
import { JobMove, JobStatusMover } from './job-status-mover';
import { JobRepository, JobStatusWrite } from './job.repository';

/**
 * The status rules of jobs, without a database: the seeded `jtd:<event type>` flows (soft), the mover with
 * its hooks, an in-memory stand-in for the rows it writes.
 */
function harness(flows: InMemoryStatusFlows = seededFlows()) {
  const writes: JobStatusWrite[] = [];
  const jobs = {
    setStatuses: async (_tx: unknown, w: JobStatusWrite[]) => {
      writes.push(...w);
    },
  } as unknown as JobRepository;
  const outbox = new RecordingOutbox('jtd-dispatcher');
  const history = new InMemoryStatusHistory();
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));
  const mover = new JobStatusMover(new JobFlows(flows, { JTD_FLOW_CACHE_TTL_MS: 60_000 } as JtdDispatcherConfig), jobs, outbox, clock, history);
  const db = new InMemoryTransactions();
  const moveMany = (moves: JobMove[]) => db.run((tx) => mover.moveMany(tx, moves));
  return { mover, moveMany, writes, outbox, history, clock, db };
}

describe('job status rules', () => {
  it('walks a due job through pending → queued → executing: one row write, one history row per step, no event for the hand-offs', async () => {
    const h = harness();
    const failed = job({ status: 'failed', version: 4, statusChangedAt: new Date('2026-11-22T05:55:00Z') });
    const [moved] = await h.moveMany([
      { job: failed, path: ['pending', 'queued', 'executing'], actor: SYSTEM_ACTORS.system, patch: { leaseOwner: 'replica-a', attempts: 2 } },
    ]);
    expect(moved).toMatchObject({ status: 'executing', previousStatus: 'queued', version: 7, leaseOwner: 'replica-a', attempts: 2, performedByType: 'system' });
    expect(h.writes).toEqual([
      expect.objectContaining({
        id: failed.id,
        status: 'executing',
        previousStatus: 'queued',
        steps: 3,
        isValidTransition: true,
        patch: { leaseOwner: 'replica-a', attempts: 2 },
      }),
    ]);
    expect(h.history.rows.map((r) => [r.from, r.to, r.secondsInPrevious, r.source])).toEqual([
      ['failed', 'pending', 300, 'system'],
      ['pending', 'queued', 0, 'system'],
      ['queued', 'executing', 0, 'system'],
    ]);
    expect(h.outbox.appended).toEqual([]);
  });

  it('makes a move the flow does not define and flags it, in the row, the history and the event', async () => {
    const h = harness();
    const scheduled = job({ status: 'scheduled' });
    const [moved] = await h.moveMany([{ job: scheduled, path: ['delivered'], actor: USER, reason: 'customer confirmed by phone', ctx: userContext() }]);
    expect(moved).toMatchObject({ status: 'delivered', isValidTransition: false, performedByType: 'user' });
    expect(h.writes[0]).toMatchObject({ isValidTransition: false, actor: USER });
    expect(h.history.rows).toEqual([
      expect.objectContaining({ from: 'scheduled', to: 'delivered', isValidTransition: false, reason: 'customer confirmed by phone', source: 'user' }),
    ]);
    const [event] = h.outbox.ofType('JTD_STATUS_CHANGED');
    expect(event).toMatchObject({ aggregateId: scheduled.id, aggregateVersion: 3, correlationId: 'corr-1', actor: USER });
    expect(event.payload).toMatchObject({
      jtdId: scheduled.id,
      previousStatus: 'scheduled',
      newStatus: 'delivered',
      channel: 'email',
      sourceType: 'service_reminder',
    });
  });

  it('refuses a status the flow does not have at all, and writes nothing', async () => {
    const h = harness();
    await expect(h.moveMany([{ job: job(), path: ['teleported'], actor: USER, ctx: userContext() }])).rejects.toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
    expect([h.writes, h.history.rows, h.outbox.appended]).toEqual([[], [], []]);
  });

  it('announces the hand-offs a person makes (they hand a waiting action job to the dispatcher)', async () => {
    const h = harness();
    await h.moveMany([{ job: job({ eventTypeCode: 'task', status: 'pending' }), path: ['queued'], actor: USER, ctx: userContext() }]);
    expect(h.outbox.ofType('JTD_STATUS_CHANGED').map((e) => e.payload.newStatus)).toEqual(['queued']);
  });

  it('keeps the details and the note on the last step only', async () => {
    const h = harness();
    await h.moveMany([
      {
        job: job({ status: 'held' }),
        path: ['pending', 'queued', 'failed'],
        actor: SYSTEM_ACTORS.system,
        reason: 'provider error 503',
        details: { code: 'HTTP_503' },
      },
    ]);
    expect(h.history.rows.map((r) => [r.to, r.reason, r.extra?.details])).toEqual([
      ['pending', null, {}],
      ['queued', null, {}],
      ['failed', 'provider error 503', { code: 'HTTP_503' }],
    ]);
  });

  it('moves a batch across tenants in one write and announces each move under its own tenant and actor', async () => {
    const h = harness();
    const appends = jest.spyOn(h.outbox, 'append');
    const mine = job({ status: 'sent' });
    const theirs = job({ status: 'sent', tenantId: OTHER_TENANT });
    const vanis = job({ status: 'executing', performedByType: 'vani' });
    await h.moveMany([
      { job: mine, path: ['delivered'], actor: SYSTEM_ACTORS.webhook },
      { job: theirs, path: ['delivered'], actor: SYSTEM_ACTORS.webhook },
      { job: vanis, path: ['failed'], actor: SYSTEM_ACTORS.vani },
    ]);
    expect(h.writes).toHaveLength(3);
    expect(appends).toHaveBeenCalledTimes(3);
    expect(h.outbox.appended.map((e) => [e.tenantId, e.actor.type, e.payload.newStatus])).toEqual([
      [TENANT, 'webhook', 'delivered'],
      [OTHER_TENANT, 'webhook', 'delivered'],
      [TENANT, 'vani', 'failed'],
    ]);
  });

  it('checks each tenant against its own flow: a tenant flow replaces the system one', async () => {
    const strictTenant = seededFlow('notification');
    strictTenant.transitions = strictTenant.transitions.filter((t) => !(t.from === 'sent' && t.to === 'read'));
    const h = harness(seededFlows().setTenant(OTHER_TENANT, 'jtd:notification', strictTenant));
    await h.moveMany([
      { job: job({ eventTypeCode: 'notification', status: 'sent' }), path: ['read'], actor: SYSTEM_ACTORS.webhook },
      { job: job({ eventTypeCode: 'notification', status: 'sent', tenantId: OTHER_TENANT }), path: ['read'], actor: SYSTEM_ACTORS.webhook },
    ]);
    expect(h.history.rows.map((r) => [r.tenantId, r.isValidTransition])).toEqual([
      [TENANT, true],
      [OTHER_TENANT, false],
    ]);
  });

  it('writes a new job’s first rows: created by its performer, then the status it starts in, checked against the flow', async () => {
    const h = harness();
    const machine = await new JobFlows(seededFlows(), { JTD_FLOW_CACHE_TTL_MS: 0 } as JtdDispatcherConfig).machine(h.db.reader, TENANT, 'reminder');
    const at = h.clock.now();
    const { isValidTransition, history } = h.mover.creation(machine, TENANT, SYSTEM_ACTORS.vani, 'scheduled', 'scheduled', at);
    expect(isValidTransition).toBe(true);
    expect(history.map((r) => [r.from, r.to, r.reason, r.secondsInPrevious, r.source])).toEqual([
      [null, 'created', 'job created', null, 'vani'],
      ['created', 'scheduled', 'scheduled', 0, 'vani'],
    ]);
    expect(h.mover.creation(machine, TENANT, USER, 'delivered', null, at).isValidTransition).toBe(false);
  });
});
