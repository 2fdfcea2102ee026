import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { HistoryRow } from '@app/shared/status-machine/status-history';
import { InMemoryStatusHistory } from '@app/shared/testing/in-memory-status';
import { InMemoryTransactions } from '@app/shared/testing/in-memory-transactions';
import { RecordingOutbox } from '@app/shared/testing/recording-outbox';
import { FixedClock } from '@app/shared/time/clock';
import { job, seededFlows, template, TENANT, tenantConfig, USER, userContext } from '../../test/support/unit-factories';
import { IntakeLeases } from '../delivery/intake-leases';
import { JobWakeups } from '../delivery/job-wakeups';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { EventType, MasterDataRepository, SourceType } from '../master-data/master-data.repository';
import { SourceConfig, SourceConfigRepository } from '../settings/source-config.repository';
import { TenantConfig, TenantConfigRepository } from '../settings/tenant-config.repository';
import { TemplateRepository } from '../templates/template.repository';
import { JobCreator, JobRequest } from './job-creator';
import { JobFlows } from './job-flows';
import { JobRow } from './job-row';
import { JobMove, JobStatusMover } from './job-status-mover';
import { JobRepository } from './job.repository';
import { NewJob } from './new-job';

const SOURCE_TYPES: Record<string, SourceType> = {
  service_reminder: { code: 'service_reminder', defaultEventType: 'reminder', defaultChannels: ['email', 'sms', 'whatsapp'] },
  appointment_created: { code: 'appointment_created', defaultEventType: 'appointment', defaultChannels: ['email', 'sms'] },
};
const EVENT_TYPES: Record<string, EventType> = {
  reminder: { code: 'reminder', allowedChannels: ['email', 'sms', 'whatsapp', 'push', 'inapp'], defaultPriority: 6, maxRetries: 3, retryDelaySeconds: 300 },
  appointment: { code: 'appointment', allowedChannels: ['email', 'sms', 'whatsapp', 'inapp'], defaultPriority: 7, maxRetries: 3, retryDelaySeconds: 300 },
};

/** Job creation without a database: master data, tenant settings and templates in memory, inserted jobs kept. */
function harness(config: Partial<TenantConfig> = {}, source: SourceConfig | null = null) {
  const inserted: Array<{ job: NewJob; history: readonly HistoryRow[] }> = [];
  const master = {
    sourceType: async (_db: unknown, code: string) => SOURCE_TYPES[code] ?? null,
    eventType: async (_db: unknown, code: string) => EVENT_TYPES[code] ?? null,
  } as unknown as MasterDataRepository;
  const tenants = { cached: async () => tenantConfig(config) } as unknown as TenantConfigRepository;
  const sources = { cached: async () => source } as unknown as SourceConfigRepository;
  const templates = {
    cachedResolve: async (_db: unknown, _tenant: string, channel: string) =>
      channel === 'whatsapp' ? null : template({ channelCode: channel, templateKey: `service_reminder_${channel}_v1` }),
  } as unknown as TemplateRepository;
  // Like the table: a dedupe key names one job; a second insert of it answers null and is read back instead.
  const stored = new Map<string, JobRow>();
  const jobs = {
    insertCreatedMany: async (_tx: unknown, many: ReadonlyArray<{ job: NewJob; history: readonly HistoryRow[] }>): Promise<Array<JobRow | null>> =>
      many.map(({ job: j, history }) => {
        const key = `${j.tenantId}|${j.dedupeKey}`;
        if (stored.has(key)) return null;
        inserted.push({ job: j, history });
        const row = job({
          id: j.id,
          tenantId: j.tenantId,
          channelCode: j.channelCode,
          eventTypeCode: j.eventTypeCode,
          status: j.status,
          nextAttemptAt: j.nextAttemptAt,
          performedByType: j.performer.type,
        });
        stored.set(key, row);
        return row;
      }),
    byDedupeKeys: async (_db: unknown, keys: ReadonlyArray<{ tenantId: string; dedupeKey: string }>) =>
      new Map(keys.map((k) => [`${k.tenantId}|${k.dedupeKey}`, stored.get(`${k.tenantId}|${k.dedupeKey}`)!])),
  } as unknown as JobRepository;
  const woken: unknown[] = [];
  const wakeups = { jobsDue: (tx: unknown) => woken.push(tx) } as unknown as JobWakeups;
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));
  const outbox = new RecordingOutbox('jtd-dispatcher');
  const flows = new JobFlows(seededFlows(), { JTD_FLOW_CACHE_TTL_MS: 60_000 } as JtdDispatcherConfig);
  const mover = new JobStatusMover(flows, jobs, outbox, clock, new InMemoryStatusHistory());
  const intake = new IntakeLeases();
  const creator = new JobCreator(master, tenants, sources, templates, flows, mover, jobs, wakeups, intake, clock);
  const db = new InMemoryTransactions();
  const create = (req: Partial<JobRequest> = {}, ctx = userContext()) =>
    db.run((tx) =>
      creator.create(tx, ctx, {
        sourceType: 'service_reminder',
        recipient: { type: 'customer', name: 'Ravi', email: 'ravi@example.com', phone: '+919812345678' },
        variables: {},
        ...req,
      }),
    );
  const createMany = (reqs: Array<{ req: Partial<JobRequest>; ctx?: ReturnType<typeof userContext> }>, options?: { leaseDue?: boolean }) =>
    db.run((tx) =>
      creator.createMany(
        tx,
        reqs.map(({ req, ctx }) => ({
          ctx: ctx ?? userContext(),
          req: { sourceType: 'service_reminder', recipient: { type: 'customer', name: 'Ravi', email: 'ravi@example.com' }, variables: {}, ...req },
        })),
        options,
      ),
    );
  return { create, createMany, inserted, woken, outbox, intake };
}

describe('job creation', () => {
  it('makes one job per channel the event type allows and the tenant enabled, saying why each other channel was left out', async () => {
    const h = harness({ channelsEnabled: { email: true, sms: false, whatsapp: true, push: false, inapp: true } });
    const { jobs, skipped } = await h.create({ channels: ['email', 'sms', 'whatsapp', 'push'] });
    expect(jobs.map((j) => j.channelCode)).toEqual(['email']);
    expect(skipped).toEqual([
      { channel: 'sms', reason: 'channel sms is not enabled for this tenant' },
      { channel: 'whatsapp', reason: 'no whatsapp template for service_reminder' },
      { channel: 'push', reason: 'channel push is not enabled for this tenant' },
    ]);
  });

  it('uses the source type’s channels when none is asked, and refuses a channel the event type does not allow', async () => {
    const h = harness();
    expect((await h.create()).jobs.map((j) => j.channelCode)).toEqual(['email', 'sms']);
    expect((await h.create({ sourceType: 'appointment_created', channels: ['push'] })).skipped).toEqual([
      { channel: 'push', reason: 'event type appointment does not allow push' },
    ]);
  });

  it('creates nothing for a source the tenant disabled', async () => {
    const source = {
      tenantId: TENANT,
      sourceTypeCode: 'service_reminder',
      channelsEnabled: null,
      isEnabled: false,
      autoExecute: false,
      priorityOverride: null,
      delaySeconds: 0,
      version: 1,
    };
    expect(await harness({}, source).create()).toEqual({
      jobs: [],
      skipped: [{ channel: '*', reason: 'source service_reminder is disabled for this tenant' }],
    });
  });

  it('starts a job pending and wakes the dispatchers after the commit; a later one scheduled; both announced to the person who asked', async () => {
    const h = harness();
    await h.create({ channels: ['email'] });
    await h.create({ channels: ['email'], scheduledAt: '2026-11-22T09:00:00Z' });
    expect(h.inserted.map((i) => [i.job.status, i.job.nextAttemptAt?.toISOString() ?? null])).toEqual([
      ['pending', '2026-11-22T06:00:00.000Z'],
      ['scheduled', '2026-11-22T09:00:00.000Z'],
    ]);
    expect(h.woken).toHaveLength(2);
    expect(h.inserted[0].history.map((r) => [r.from, r.to, r.actor.type])).toEqual([
      [null, 'created', 'user'],
      ['created', 'pending', 'user'],
    ]);
    expect(h.outbox.ofType('JTD_STATUS_CHANGED').map((e) => [e.actor.id, e.payload.newStatus])).toEqual([
      [USER.id, 'pending'],
      [USER.id, 'scheduled'],
    ]);
  });

  it('delays a job by the source override, with its priority', async () => {
    const source = {
      tenantId: TENANT,
      sourceTypeCode: 'service_reminder',
      channelsEnabled: ['email'],
      isEnabled: true,
      autoExecute: false,
      priorityOverride: 9,
      delaySeconds: 600,
      version: 2,
    };
    const h = harness({}, source);
    await h.create();
    expect(h.inserted.map((i) => [i.job.channelCode, i.job.status, i.job.priority, i.job.scheduledAt?.toISOString()])).toEqual([
      ['email', 'scheduled', 9, '2026-11-22T06:10:00.000Z'],
    ]);
  });

  it('lets VaNi execute the action types the tenant gave it, and leaves the others waiting for a person', async () => {
    const system = { ...userContext(), actor: SYSTEM_ACTORS.system };
    const vani = harness({ vaniEnabled: true, vaniAutoExecuteTypes: ['appointment'] });
    await vani.create({ sourceType: 'appointment_created', channels: ['email'] }, system);
    expect(vani.inserted[0].job).toMatchObject({ status: 'pending', autoExecute: true, performer: SYSTEM_ACTORS.vani });
    expect(vani.woken).toHaveLength(1);

    const manual = harness();
    await manual.create({ sourceType: 'appointment_created', channels: ['email'] }, system);
    expect(manual.inserted[0].job).toMatchObject({ status: 'pending', autoExecute: false, nextAttemptAt: null });
    expect(manual.inserted[0].history[1].reason).toBe('waiting for a person');
    expect(manual.woken).toEqual([]);
    // The system's own hand-off to `pending` is not announced.
    expect(manual.outbox.appended).toEqual([]);
  });

  it('creates the jobs of many requests at once, answering each in order: a request repeating an earlier one gets its job, announced once', async () => {
    const h = harness();
    const [first, second] = [
      { ...userContext(), correlationId: 'corr-a' },
      { ...userContext(), correlationId: 'corr-b' },
    ];
    const answers = await h.createMany([
      { req: { channels: ['email', 'sms'], requestId: 'events:r1' }, ctx: first },
      { req: { channels: ['email'], requestId: 'events:r2', scheduledAt: '2026-11-22T09:00:00Z' }, ctx: second },
      { req: { channels: ['email', 'whatsapp'], requestId: 'events:r1' } },
    ]);
    expect(answers.map((a) => a.jobs.map((j) => j.channelCode))).toEqual([['email', 'sms'], ['email'], ['email']]);
    expect(answers[2].jobs[0]).toBe(answers[0].jobs[0]);
    expect(answers[2].skipped).toEqual([{ channel: 'whatsapp', reason: 'no whatsapp template for service_reminder' }]);
    expect(h.inserted.map((i) => [i.job.dedupeKey, i.job.status, i.job.correlationId])).toEqual([
      ['req:events:r1:email', 'pending', 'corr-a'],
      ['req:events:r1:sms', 'pending', 'corr-a'],
      ['req:events:r2:email', 'scheduled', 'corr-b'],
    ]);
    // Each announced in the context of its own request, once.
    expect(
      h.outbox.ofType<{ newStatus: string; channel: string }>('JTD_STATUS_CHANGED').map((e) => [e.correlationId, e.payload.channel, e.payload.newStatus]),
    ).toEqual([
      ['corr-a', 'email', 'pending'],
      ['corr-a', 'sms', 'pending'],
      ['corr-b', 'email', 'scheduled'],
    ]);
    expect(h.woken.length).toBeGreaterThanOrEqual(1);
  });

  it('offers the jobs due now to a serving dispatcher before the INSERT, inserts those it leases as executing, and wakes the dispatchers for the rest', async () => {
    const h = harness();
    const offered: Array<Array<{ id: string; channel: string; status: string }>> = [];
    const finished: string[][] = [];
    let room = true;
    h.intake.serve(async (_tx, jobs) => {
      offered.push(jobs.map((j) => ({ id: j.id, channel: j.channelCode, status: j.status })));
      if (!room) return null;
      // The dispatcher sends the email now; the SMS it only decides about once it is inserted (say, quiet hours).
      const email = jobs.find((j) => j.channelCode === 'email')!;
      const lease: JobMove = {
        job: email,
        path: ['queued', 'executing'],
        actor: SYSTEM_ACTORS.system,
        patch: {
          leaseOwner: 'worker-1',
          leaseUntil: new Date('2026-11-22T06:00:30Z'),
          sendStartedAt: new Date('2026-11-22T06:00:00Z'),
          attempts: 1,
          nextAttemptAt: null,
          recipientContact: 'ravi@example.com',
          rendered: { subject: 'Service due', body: 'Hello Ravi' },
        },
      };
      return { leased: new Map([[email.id, lease]]), finish: async (_tx, inserted) => void finished.push([...inserted.keys()]) };
    });
    const requests = [
      { req: { channels: ['email', 'sms'], requestId: 'events:r1' } },
      { req: { channels: ['email'], requestId: 'events:r2', scheduledAt: '2026-11-22T09:00:00Z' } },
    ];
    const [due] = await h.createMany(requests, { leaseDue: true });
    // The pending pair, in one offer, as the rows they are to be; the scheduled job waits for the dispatcher's plan.
    expect(offered).toEqual([due.jobs.map((j) => ({ id: j.id, channel: j.channelCode, status: 'pending' }))]);
    const [email, sms] = h.inserted;
    expect(email.job).toMatchObject({
      id: due.jobs[0].id,
      status: 'executing',
      previousStatus: 'queued',
      version: 4,
      nextAttemptAt: null,
      performer: SYSTEM_ACTORS.system,
      lease: { leaseOwner: 'worker-1', attempts: 1, rendered: { subject: 'Service due', body: 'Hello Ravi' } },
    });
    expect(email.history.map((r) => [r.from, r.to, r.actor.type])).toEqual([
      [null, 'created', 'user'],
      ['created', 'pending', 'user'],
      ['pending', 'queued', 'system'],
      ['queued', 'executing', 'system'],
    ]);
    expect(sms.job).toMatchObject({ status: 'pending', previousStatus: 'created', version: 2, lease: null });
    expect(sms.history.map((r) => r.to)).toEqual(['created', 'pending']);
    // Told every row inserted, after the INSERT; the person's request is announced up to `pending`, the hand-offs are not.
    expect(finished).toEqual([h.inserted.map((i) => i.job.id)]);
    expect(h.outbox.ofType<{ newStatus: string }>('JTD_STATUS_CHANGED').map((e) => [e.aggregateId, e.payload.newStatus])).toEqual([
      [due.jobs[0].id, 'pending'],
      [due.jobs[1].id, 'pending'],
      [h.inserted[2].job.id, 'scheduled'],
    ]);
    expect(h.woken).toHaveLength(1);

    // Without room, the due jobs are left to a claim: the dispatchers are woken for them.
    room = false;
    await h.createMany([{ req: { channels: ['email'], requestId: 'events:r3' } }], { leaseDue: true });
    expect(offered).toHaveLength(2);
    expect(h.inserted[3].job).toMatchObject({ status: 'pending', lease: null });
    expect(h.woken).toHaveLength(2);

    // Not asked (a creation that other writes may follow): never offered.
    await h.createMany([{ req: { channels: ['email'], requestId: 'events:r4' } }]);
    expect(offered).toHaveLength(2);
    expect(h.woken).toHaveLength(3);
    expect(finished).toHaveLength(1);
  });
});
