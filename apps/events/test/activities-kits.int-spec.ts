import type { Operation } from '@app/shared/contract/operation';
import { randomUUID } from 'node:crypto';
import {
  assignActivity,
  completeActivity,
  createActivity,
  getActivity,
  listActivities,
  reportActivityIssue,
  startActivity,
} from '@app/shared/api/events/activities.operations';
import { createEventTask, getEvent, transitionEvent, updateEventTask } from '@app/shared/api/events/contract-events.operations';
import {
  assignKitToActivity,
  checkOutKit,
  createKit,
  createKitTemplate,
  deleteKitTemplate,
  getKit,
  listKitHistory,
  listKits,
  listKitTemplates,
  prepareKit,
  reportKitIssue,
  returnKit,
  updateKit,
  updateKitTemplate,
} from '@app/shared/api/events/kits.operations';
import { eventually } from '@app/shared/testing/eventually';
import { ActivityFixture } from './support/activity-fixture';
import type { EventsHarness } from './support/events-harness';
import { publishEvent } from './support/publish-event';

describe('activities and kits inside contract events', () => {
  let f: ActivityFixture;
  let h: EventsHarness;
  let contractId: string;
  let techId: ActivityFixture['techId'];
  let otherTechId: ActivityFixture['techId'];

  beforeAll(async () => {
    f = await ActivityFixture.start();
    ({ h, contractId, techId, otherTechId } = f);
  });

  afterAll(async () => {
    await h?.close();
  });

  const asTech = (id?: ActivityFixture['techId']) => f.asTech(id);
  const nextServiceEvent = () => f.nextServiceEvent();
  const outbox = (aggregateId: string, typePrefix: string) => f.outbox(aggregateId, typePrefix);
  const template = (name?: string) => f.template(name);

  it('runs an activity: create, assign, start, complete, with the rules and the seed payloads', async () => {
    const e = await nextServiceEvent();
    const kitTemplate = await template();
    const created = await h.rpc.call(createActivity, {
      id: e.id,
      title: 'Replace filter',
      activityType: 'filter_replacement',
      description: 'Swap the intake filter',
      duration: 45,
      requiredKitTemplateIds: [kitTemplate.id],
      requiredStaffRoles: ['technician'],
    });
    expect(created).toMatchObject({ ok: true, data: { status: 'open', assignee: null, version: 1, contractId, kitsInUse: [] } });
    if (!created.ok) throw new Error(`createActivity was refused: ${created.error.code}`);
    const a = created.data;

    // one mechanism: the activity is one of the event's sub-tasks too
    const detail = await h.rpc.ok(getEvent, { id: e.id });
    expect(detail.tasks.map((t) => t.id)).toContain(a.id);
    expect((await outbox(e.id, 'EVENT_TASK_')).map((r) => r.type)).toEqual(['EVENT_TASK_CREATED']);
    const [createdEvent] = await outbox(a.id, 'ACTIVITY_');
    expect(createdEvent.payload).toMatchObject({
      activityId: a.id,
      eventId: e.id,
      bookingId: contractId,
      createdBy: expect.any(String),
      createdAt: expect.any(String),
      activityType: 'filter_replacement',
      description: 'Swap the intake filter',
      duration: 45,
      requiredKitTemplateIds: [kitTemplate.id],
      requiredStaffRoles: ['technician'],
    });

    const ids = { id: e.id, activityId: a.id };
    expect(await h.rpc.call(startActivity, ids)).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE', message: expect.stringContaining('assign it') } });
    expect(await h.rpc.call(completeActivity, ids)).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE', message: expect.stringContaining('start it') },
    });
    // technicians do not assign
    const assigned = await h.rpc.ok(assignActivity, {
      ...ids,
      assigneeId: techId,
      name: 'Tariq',
      role: 'technician',
      instructions: 'Bring a ladder',
      version: 1,
    });
    expect(assigned).toMatchObject({ status: 'assigned', version: 2, assignee: { userId: techId, role: 'technician', instructions: 'Bring a ladder' } });
    // the same assignment again changes nothing
    expect(await h.rpc.ok(assignActivity, { ...ids, assigneeId: techId, name: 'Tariq', role: 'technician', instructions: 'Bring a ladder' })).toMatchObject({
      version: 2,
      assignee: { assignmentId: assigned.assignee!.assignmentId },
    });

    // a stale version, another technician, then the assigned one
    expect(await h.rpc.call(startActivity, { ...ids, version: 1 }, asTech())).toMatchObject({ ok: false, error: { code: 'VERSION_CONFLICT' } });
    expect(await h.rpc.call(startActivity, ids, asTech(otherTechId))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const started = await h.rpc.ok(startActivity, { ...ids, version: 2 }, asTech());
    expect(started).toMatchObject({ status: 'in_progress', startedBy: techId, version: 3 });
    expect(await h.rpc.ok(startActivity, ids, asTech())).toMatchObject({ status: 'in_progress', version: 3, startedAt: started.startedAt });

    // the sub-task route cannot tick an activity off
    expect(await h.rpc.call(updateEventTask, { id: e.id, taskId: a.id, done: true })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
    // but it still edits its title
    expect(await h.rpc.ok(updateEventTask, { id: e.id, taskId: a.id, title: 'Replace intake filter' })).toMatchObject({
      title: 'Replace intake filter',
      done: false,
    });

    const outcomes = { metrics: { pressureBar: 6.5, filtersReplaced: 1 }, notes: 'All good', photoUrls: ['https://files.example/p1.jpg'] };
    const done = await h.rpc.ok(completeActivity, { ...ids, outcomes }, asTech());
    expect(done).toMatchObject({ status: 'completed', completedBy: techId, outcomes, completedAt: expect.any(String) });
    // not twice: the same answer, the first outcomes, no second announcement
    const again = await h.rpc.ok(completeActivity, { ...ids, outcomes: { notes: 'other' } }, asTech());
    expect(again).toEqual(done);
    expect(await h.rpc.call(startActivity, ids, asTech())).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
    expect(await h.rpc.call(assignActivity, { ...ids, assigneeId: otherTechId })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });

    const events = await outbox(a.id, 'ACTIVITY_');
    expect(events.map((r) => r.type)).toEqual(['ACTIVITY_CREATED', 'ACTIVITY_ASSIGNED', 'ACTIVITY_STARTED', 'ACTIVITY_COMPLETED']);
    expect(events[1].payload).toMatchObject({
      activityId: a.id,
      eventId: e.id,
      assignmentId: assigned.assignee!.assignmentId,
      assignedTo: techId,
      assignedBy: expect.any(String),
      assignedAt: expect.any(String),
      role: 'technician',
      instructions: 'Bring a ladder',
    });
    expect(events[2].payload).toMatchObject({
      activityId: a.id,
      eventId: e.id,
      startedBy: techId,
      startedAt: expect.any(String),
      kitsInUse: [],
      staffExecuting: [techId],
    });
    expect(events[3].payload).toMatchObject({ activityId: a.id, eventId: e.id, completedBy: techId, completedAt: expect.any(String), outcomes });
    // the sub-task is done: EVENT_TASK_COMPLETED too, and the event detail shows it
    expect((await outbox(e.id, 'EVENT_TASK_')).map((r) => r.type)).toEqual(['EVENT_TASK_CREATED', 'EVENT_TASK_COMPLETED']);
    expect((await h.rpc.ok(getEvent, { id: e.id })).tasks.find((t) => t.id === a.id)).toMatchObject({ done: true });
  });

  it('gates the event on a required activity like a required sub-task', async () => {
    let e = await nextServiceEvent();
    e = await h.rpc.ok(transitionEvent, { id: e.id, toStatus: 'in_progress', version: e.version });
    const a = await h.rpc.ok(createActivity, { id: e.id, title: 'Leak test', activityType: 'leak_test', required: true });
    const evidenceId = randomUUID();
    await publishEvent(h.env, h.tenantId, 'EVIDENCE_UPLOADED', {
      evidenceId,
      ticketId: randomUUID(),
      contractId,
      eventId: e.id,
      type: 'photo',
      status: 'uploaded',
    });
    const move = async () => {
      const current = await h.rpc.ok(getEvent, { id: e.id });
      return h.rpc.call(transitionEvent, { id: e.id, toStatus: 'completed', version: current.version, evidenceIds: [evidenceId] });
    };
    await eventually(async () => expect(await move()).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE', details: { openTaskIds: [a.id] } } }));
    const ids = { id: e.id, activityId: a.id };
    await h.rpc.ok(assignActivity, { ...ids, assigneeId: techId });
    await h.rpc.ok(startActivity, ids, asTech());
    await h.rpc.ok(completeActivity, ids, asTech());
    expect(await move()).toMatchObject({ ok: true, data: { status: 'completed' } });
  });

  it('records issues on an activity and keeps the sub-task routes for plain sub-tasks', async () => {
    const e = await nextServiceEvent();
    const a = await h.rpc.ok(createActivity, { id: e.id, title: 'Inspect duct', activityType: 'inspection' });
    const ids = { id: e.id, activityId: a.id };
    const issue = { ...ids, issueType: 'access_denied', description: 'Roof locked', impactLevel: 'major', photoUrls: ['https://files.example/roof.jpg'] };
    // a technician reports only on what is assigned to them
    expect(await h.rpc.call(reportActivityIssue, issue, asTech())).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await h.rpc.ok(assignActivity, { ...ids, assigneeId: techId });
    const reported = await h.rpc.ok(reportActivityIssue, issue, asTech());
    expect(reported).toMatchObject({ id: expect.any(String), issueType: 'access_denied', impactLevel: 'major', reportedBy: techId });
    expect((await h.rpc.ok(getActivity, ids)).issues).toEqual([reported]);
    const [sent] = (await outbox(a.id, 'ACTIVITY_ISSUE')).map((r) => r.payload);
    expect(sent).toMatchObject({
      activityId: a.id,
      eventId: e.id,
      reportedBy: techId,
      reportedAt: reported.reportedAt,
      issueType: 'access_denied',
      description: 'Roof locked',
      impactLevel: 'major',
      photoUrls: ['https://files.example/roof.jpg'],
    });
    expect(await h.rpc.call(reportActivityIssue, { ...issue, impactLevel: 'huge' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });

    // a plain sub-task is no activity, and its routes work as before
    const task = await h.rpc.ok(createEventTask, { id: e.id, title: 'Sign the sheet' });
    expect(await h.rpc.call(getActivity, { id: e.id, activityId: task.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await h.rpc.ok(updateEventTask, { id: e.id, taskId: task.id, done: true })).toMatchObject({ done: true });
    const second = await h.rpc.ok(createActivity, { id: e.id, title: 'Second', activityType: 'inspection' });
    const first = await h.rpc.ok(listActivities, { id: e.id, limit: 1 });
    expect(first.items.map((x) => x.id)).toEqual([a.id]);
    const next = await h.rpc.ok(listActivities, { id: e.id, limit: 1, cursor: first.nextCursor! });
    expect(next.items.map((x) => x.id)).toEqual([second.id]);
    expect(next.nextCursor).toBeNull();
    expect((await h.rpc.ok(getEvent, { id: e.id })).tasks.map((t) => t.id)).toEqual([a.id, task.id, second.id]);
  });

  it('refuses unknown kit templates and hides everything from another tenant', async () => {
    const e = await nextServiceEvent();
    expect(await h.rpc.call(createActivity, { id: e.id, title: 'X', activityType: 'x', requiredKitTemplateIds: [randomUUID()] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const a = await h.rpc.ok(createActivity, { id: e.id, title: 'Clean coils', activityType: 'cleaning' });
    const t = await template('Coil kit');
    const kit = await h.rpc.ok(createKit, { templateId: t.id, label: `KIT-${randomUUID().slice(0, 6)}` });
    const other = { tenantId: randomUUID() };
    const ids = { id: e.id, activityId: a.id };
    for (const [op, input] of [
      [getActivity, ids],
      [listActivities, { id: e.id }],
      [assignActivity, { ...ids, assigneeId: techId }],
      [startActivity, ids],
      [completeActivity, ids],
      [reportActivityIssue, { ...ids, issueType: 'x', description: 'x', impactLevel: 'minor' }],
      [getKit, { id: kit.id }],
      [listKitHistory, { id: kit.id }],
      [prepareKit, { id: kit.id }],
      [checkOutKit, { id: kit.id, expectedReturnDate: '2026-06-01T10:00:00Z' }],
      [returnKit, { id: kit.id, condition: 'good' }],
      [reportKitIssue, { id: kit.id, issueType: 'other', description: 'x', impactLevel: 'minor' }],
      [updateKit, { id: kit.id, condition: 'good', version: kit.version }],
      [updateKitTemplate, { id: t.id, name: 'x', version: 1 }],
      [deleteKitTemplate, { id: t.id }],
      [createKit, { templateId: t.id, label: 'stolen' }],
      [assignKitToActivity, { ...ids, kitId: kit.id }],
    ] as const) {
      expect(await h.rpc.call(op as Operation<object, unknown>, input, other)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    expect((await h.rpc.ok(listKits, {}, other)).items).toEqual([]);
    expect((await h.rpc.ok(listKitTemplates, {}, other)).items).toEqual([]);
    // and the other tenant's kit cannot be assigned here
    const theirs = await h.rpc.ok(
      createKit,
      { templateId: (await h.rpc.ok(createKitTemplate, { name: 'T', components: [{ name: 'c', quantity: 1 }] }, other)).id, label: 'K1' },
      other,
    );
    expect(await h.rpc.call(assignKitToActivity, { ...ids, kitId: theirs.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
