import { systemContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { InMemoryTransactions } from '@app/shared/testing/in-memory-transactions';
import { RecordingOutbox } from '@app/shared/testing/recording-outbox';
import { FixedClock } from '@app/shared/time/clock';
import { ContractEventRepository, ContractEventRow } from '../contract-events/contract-event.repository';
import { EventAuditRepository } from '../contract-events/event-audit.repository';
import { ActivityChange, ActivityRepository, ActivityRow } from './activity.repository';
import { activityStatus } from './activity.view';
import { CompleteActivityUseCase } from './use-cases/complete-activity.use-case';
import { StartActivityUseCase } from './use-cases/start-activity.use-case';

/** The rules of an activity's execution, without a database: in-memory rows, the recording outbox (strict catalog checks). */
const TENANT = '6f1a3c1e-7e0b-4b53-9a51-3d8f3f1f2b10';
const EVENT_ID = '2d1b7a3e-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const ACTIVITY_ID = '4b3a2c1d-0e9f-4a8b-8c7d-6e5f4a3b2c1d';
const TECH = '22222222-2222-4222-8222-222222222222';
const admin = {
  ...systemContext(TENANT, 'corr-1'),
  actor: { type: 'user' as const, id: '11111111-1111-4111-8111-111111111111', name: 'Asha' },
  roles: ['admin' as const],
};
const tech = (id = TECH) => ({ ...systemContext(TENANT, 'corr-2'), actor: { type: 'user' as const, id, name: 'Tariq' }, roles: ['technician' as const] });

function activity(over: Partial<ActivityRow> = {}): ActivityRow {
  const at = new Date('2026-03-01T00:00:00Z');
  return {
    id: ACTIVITY_ID,
    eventId: EVENT_ID,
    contractId: '3e2c8b4f-5d6e-4f70-9b8c-0d1e2f3a4b5c',
    title: 'Replace filter',
    activityType: 'filter_replacement',
    description: '',
    durationMinutes: null,
    requiredKitTemplateIds: [],
    requiredStaffRoles: [],
    required: true,
    dueDate: null,
    done: false,
    doneAt: null,
    createdBy: admin.actor.id,
    assignmentId: null,
    assigneeId: null,
    assigneeName: null,
    assigneeRole: null,
    instructions: null,
    assignedBy: null,
    assignedAt: null,
    startedBy: null,
    startedAt: null,
    completedBy: null,
    outcomes: null,
    issues: [],
    kitsInUse: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
    cursorAt: at.toISOString(),
    ...over,
  };
}

const assigned = {
  assignmentId: '5c4b3a2d-1e0f-4a9b-8c7d-6e5f4a3b2c1e',
  assigneeId: TECH,
  assigneeRole: 'technician',
  assignedBy: admin.actor.id,
  assignedAt: new Date('2026-03-02T00:00:00Z'),
};

function harness(start: Partial<ActivityRow>) {
  let row = activity(start);
  const clock = new FixedClock(new Date('2026-03-05T09:00:00Z'));
  const outbox = new RecordingOutbox();
  const db = new InMemoryTransactions();
  const activities = {
    find: async () => ({ ...row }),
    save: async (_db: unknown, _t: string, _a: ActivityRow, change: ActivityChange) => {
      row = { ...row, ...change, version: row.version + 1 };
      return row.version;
    },
  } as unknown as ActivityRepository;
  let eventVersion = 7;
  const events = {
    findById: async () => ({ id: EVENT_ID, tenantId: TENANT, contractId: row.contractId, version: eventVersion }) as ContractEventRow,
    touch: async () => ++eventVersion,
  } as unknown as ContractEventRepository;
  const audit = { append: async () => undefined } as unknown as EventAuditRepository;
  return {
    outbox,
    row: () => row,
    start: new StartActivityUseCase(db, events, activities, audit, outbox, clock),
    complete: new CompleteActivityUseCase(db, events, activities, audit, outbox, clock),
  };
}

const ids = { id: EVENT_ID, activityId: ACTIVITY_ID };
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
}

describe('activity rules', () => {
  it('derives the status from the row: open, assigned, in progress, completed', () => {
    expect(activityStatus(activity())).toBe('open');
    expect(activityStatus(activity(assigned))).toBe('assigned');
    expect(activityStatus(activity({ ...assigned, startedAt: new Date() }))).toBe('in_progress');
    expect(activityStatus(activity({ ...assigned, startedAt: new Date(), done: true }))).toBe('completed');
  });

  it('starts only when assigned, only by the assignee or an operator, once', async () => {
    const open = harness({});
    expect(await codeOf(open.start.execute(admin, ids))).toBe('BUSINESS_RULE');
    const h = harness(assigned);
    expect(await codeOf(h.start.execute(tech('33333333-3333-4333-8333-333333333333'), ids))).toBe('FORBIDDEN');
    expect(await codeOf(h.start.execute(tech(), { ...ids, version: 9 }))).toBe('VERSION_CONFLICT');
    const started = await h.start.execute(tech(), { ...ids, version: 1 });
    expect(started).toMatchObject({ status: 'in_progress', startedBy: TECH, startedAt: '2026-03-05T09:00:00.000Z', version: 2 });
    expect(await h.start.execute(tech(), ids)).toEqual(started);
    expect(h.outbox.types).toEqual(['ACTIVITY_STARTED']);
    expect(h.outbox.ofType('ACTIVITY_STARTED')[0]).toMatchObject({
      aggregateId: ACTIVITY_ID,
      aggregateVersion: 2,
      payload: { activityId: ACTIVITY_ID, eventId: EVENT_ID, startedBy: TECH, staffExecuting: [TECH], kitsInUse: [] },
    });
  });

  it('completes only when started, ticks the sub-task off, announces both events once', async () => {
    expect(await codeOf(harness(assigned).complete.execute(tech(), ids))).toBe('BUSINESS_RULE');
    const h = harness({ ...assigned, startedBy: TECH, startedAt: new Date('2026-03-05T08:00:00Z') });
    const done = await h.complete.execute(tech(), { ...ids, outcomes: { metrics: { psi: 60 }, notes: 'ok' } });
    expect(done).toMatchObject({ status: 'completed', completedBy: TECH, outcomes: { metrics: { psi: 60 }, notes: 'ok', photoUrls: [] } });
    expect(h.row()).toMatchObject({ done: true, doneAt: new Date('2026-03-05T09:00:00Z') });
    expect(await h.complete.execute(admin, { ...ids, outcomes: { notes: 'again' } })).toEqual(done);
    expect(h.outbox.types).toEqual(['ACTIVITY_COMPLETED', 'EVENT_TASK_COMPLETED']);
    expect(h.outbox.ofType('EVENT_TASK_COMPLETED')[0]).toMatchObject({ aggregateId: EVENT_ID, aggregateVersion: 8, payload: { eventTaskId: ACTIVITY_ID } });
    // completed: no start any more
    expect(await codeOf(h.start.execute(admin, ids))).toBe('BUSINESS_RULE');
  });
});
