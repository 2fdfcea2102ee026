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
import { createEventTask, getEvent, listEvents, transitionEvent, updateEventTask } from '@app/shared/api/events/contract-events.operations';
import { activateContract, createContract } from '@app/shared/api/events/contracts.operations';
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
import { referenceContract } from './support/contract-factory';
import { EventsHarness, startEventsHarness } from './support/events-harness';
import { publishEvent } from './support/publish-event';
import { userContext } from './support/rpc-client';

describe('activities and kits inside contract events', () => {
  let h: EventsHarness;
  let contractId: string;
  const techId = randomUUID();
  const otherTechId = randomUUID();
  const tech = (id = techId) => userContext('', ['technician'], { id, name: 'Tariq Tech' });

  beforeAll(async () => {
    h = await startEventsHarness();
    contractId = (await h.rpc.ok(createContract, referenceContract())).id;
    await h.rpc.ok(activateContract, { id: contractId });
  });

  afterAll(async () => {
    await h?.close();
  });

  let used = 0;
  async function nextServiceEvent() {
    const page = await h.rpc.ok(listEvents, { contractId, type: 'service', status: 'scheduled', limit: 200 });
    return page.items[used++];
  }
  const outbox = async (aggregateId: string, typePrefix: string) =>
    (await h.db.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 AND type LIKE $2 ORDER BY seq`, [aggregateId, `${typePrefix}%`])).rows;
  const asTech = (id = techId) => ({ ...tech(id), tenantId: h.tenantId });

  async function template(name = 'AC service kit') {
    return h.rpc.ok(createKitTemplate, {
      name,
      components: [
        { name: 'Pressure gauge', quantity: 1 },
        { name: 'Coolant can', quantity: 2 },
      ],
    });
  }

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
    const a = (created as any).data;

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
    let e: any = await nextServiceEvent();
    e = (await h.rpc.ok(transitionEvent, { id: e.id, toStatus: 'in_progress', version: e.version })) as any;
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
      expect(await h.rpc.call(op as any, input, other)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
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

  it('keeps kit templates: components, unique names, versions, archiving', async () => {
    const t = await template('Template CRUD');
    expect(t).toMatchObject({
      version: 1,
      archived: false,
      components: [
        { id: expect.any(String), name: 'Pressure gauge', quantity: 1 },
        { name: 'Coolant can', quantity: 2 },
      ],
    });
    expect(
      await h.rpc.call(createKitTemplate, {
        name: 'Dup',
        components: [
          { name: 'A', quantity: 1 },
          { name: 'a', quantity: 2 },
        ],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', errors: { 'components.1.name': expect.any(Array) } },
    });
    const edited = await h.rpc.ok(updateKitTemplate, {
      id: t.id,
      version: 1,
      components: [
        { id: t.components[0].id, name: 'Pressure gauge', quantity: 2 },
        { name: 'Gloves', quantity: 4 },
      ],
    });
    expect(edited).toMatchObject({
      version: 2,
      components: [
        { id: t.components[0].id, quantity: 2 },
        { name: 'Gloves', quantity: 4 },
      ],
    });
    expect(await h.rpc.call(updateKitTemplate, { id: t.id, version: 1, name: 'Stale' })).toMatchObject({ ok: false, error: { code: 'VERSION_CONFLICT' } });
    const deleted = await h.rpc.ok(deleteKitTemplate, { id: t.id });
    expect(deleted).toMatchObject({ archived: true });
    expect(await h.rpc.ok(deleteKitTemplate, { id: t.id })).toEqual(deleted);
    expect((await h.rpc.ok(listKitTemplates, { limit: 200 })).items.map((x) => x.id)).not.toContain(t.id);
    expect(await h.rpc.call(createKit, { templateId: t.id, label: 'From deleted' })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
  });

  it('runs a kit: assign, prepare, check out once, return with missing and damaged components, issues, history', async () => {
    const e = await nextServiceEvent();
    const a = await h.rpc.ok(createActivity, { id: e.id, title: 'Recharge', activityType: 'recharge' });
    const a2 = await h.rpc.ok(createActivity, { id: e.id, title: 'Other', activityType: 'other' });
    const t = await template('Recharge kit');
    const [gauge, coolant] = t.components;
    const label = `KIT-${randomUUID().slice(0, 8)}`;
    const kit = await h.rpc.ok(createKit, { templateId: t.id, label, condition: 'excellent' });
    expect(kit).toMatchObject({
      status: 'available',
      condition: 'excellent',
      assignment: null,
      components: [{ id: gauge.id, condition: 'excellent', missing: false }, {}],
    });
    expect(await h.rpc.call(createKit, { templateId: t.id, label })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const ids = { id: e.id, activityId: a.id };

    // nothing before it is assigned
    expect(await h.rpc.call(prepareKit, { id: kit.id })).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE' } });
    expect(await h.rpc.call(reportKitIssue, { id: kit.id, issueType: 'other', description: 'x', impactLevel: 'minor' })).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE' },
    });

    const assignment = await h.rpc.ok(assignKitToActivity, { ...ids, kitId: kit.id, notes: 'Top shelf' });
    expect(assignment).toMatchObject({ kitId: kit.id, activityId: a.id, eventId: e.id, status: 'assigned', quantity: 1, notes: 'Top shelf' });
    expect(await h.rpc.ok(assignKitToActivity, { ...ids, kitId: kit.id })).toEqual(assignment);
    expect(await h.rpc.call(assignKitToActivity, { id: e.id, activityId: a2.id, kitId: kit.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { activityId: a.id } },
    });
    expect((await h.rpc.ok(getActivity, ids)).kitsInUse).toEqual([kit.id]);

    expect(await h.rpc.call(checkOutKit, { id: kit.id, expectedReturnDate: '2026-06-01T18:00:00Z' })).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE', message: expect.stringContaining('prepare it') },
    });
    expect(await h.rpc.call(prepareKit, { id: kit.id, components: [{ id: randomUUID(), condition: 'good' }] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', errors: { 'components.0.id': expect.any(Array) } },
    });
    const prepared = await h.rpc.ok(prepareKit, { id: kit.id, components: [{ id: coolant.id, condition: 'fair' }], notes: 'Refilled' });
    expect(prepared).toMatchObject({ status: 'prepared', assignment: { status: 'prepared', preparedAt: expect.any(String) } });

    // no one assigned to the activity and nobody named: refused with a reason
    expect(await h.rpc.call(checkOutKit, { id: kit.id, expectedReturnDate: '2026-06-01T18:00:00Z' })).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE', message: expect.stringContaining('checkedOutTo') },
    });
    await h.rpc.ok(assignActivity, { ...ids, assigneeId: techId });
    const out = await h.rpc.ok(checkOutKit, { id: kit.id, expectedReturnDate: '2026-06-01T18:00:00+05:30' }, asTech());
    expect(out).toMatchObject({
      status: 'checked_out',
      assignment: { status: 'checked_out', checkedOutTo: techId, expectedReturnDate: '2026-06-01T12:30:00.000Z' },
    });
    // not twice
    const twice = await h.rpc.call(checkOutKit, { id: kit.id, checkedOutTo: otherTechId, expectedReturnDate: '2026-06-02T18:00:00Z' });
    expect(twice).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('already checked out'), details: { checkedOutTo: techId } },
    });

    // the activity starts with the kit in use
    await h.rpc.ok(startActivity, ids, asTech());
    const issue = await h.rpc.ok(
      reportKitIssue,
      { id: kit.id, issueType: 'insufficient', description: 'One can short', impactLevel: 'moderate', needsImmediate: true },
      asTech(),
    );
    expect(issue).toMatchObject({ kitId: kit.id, kitAssignmentId: assignment.id, activityId: a.id, eventId: e.id, needsImmediate: true, reportedBy: techId });

    const back = await h.rpc.ok(returnKit, {
      id: kit.id,
      condition: 'fair',
      components: [
        { id: gauge.id, damage: { description: 'Cracked glass', severity: 'moderate' } },
        { id: coolant.id, missing: true },
      ],
      notes: 'Left one can on site',
    });
    expect(back).toMatchObject({
      status: 'out_of_service',
      condition: 'fair',
      components: [
        { id: gauge.id, condition: 'damaged', missing: false },
        { id: coolant.id, missing: true },
      ],
      assignment: {
        status: 'returned',
        returnedBy: techId,
        returnCondition: 'fair',
        missingComponents: [coolant.id],
        damagedComponents: [{ id: gauge.id, description: 'Cracked glass', severity: 'moderate' }],
      },
    });
    // a retry answers the same; the kit is out of service until repaired
    expect(await h.rpc.ok(returnKit, { id: kit.id, condition: 'good' })).toEqual(back);
    expect(await h.rpc.call(assignKitToActivity, { id: e.id, activityId: a2.id, kitId: kit.id })).toMatchObject({
      ok: false,
      error: { code: 'BUSINESS_RULE' },
    });
    const repaired = await h.rpc.ok(updateKit, { id: kit.id, condition: 'good', version: back.version });
    expect(repaired).toMatchObject({
      status: 'available',
      condition: 'good',
      components: [
        { condition: 'good', missing: false },
        { condition: 'good', missing: false },
      ],
    });
    expect((await h.rpc.ok(getActivity, ids)).kitsInUse).toEqual([]);

    const history = await h.rpc.ok(listKitHistory, { id: kit.id, limit: 3 });
    const rest = await h.rpc.ok(listKitHistory, { id: kit.id, cursor: history.nextCursor! });
    expect([...history.items, ...rest.items].map((x) => `${x.action}:${x.fromStatus}>${x.toStatus}`)).toEqual([
      'created:null>available',
      'assigned:available>assigned',
      'prepared:assigned>prepared',
      'checked_out:prepared>checked_out',
      'issue_reported:checked_out>checked_out',
      'returned:checked_out>out_of_service',
      'updated:out_of_service>available',
    ]);

    const kitEvents = await outbox(kit.id, 'KIT_');
    expect(kitEvents.map((r) => r.type)).toEqual(['KIT_ASSIGNED_TO_ACTIVITY', 'KIT_PREPARED', 'KIT_CHECKED_OUT', 'KIT_ISSUE_REPORTED', 'KIT_RETURNED']);
    expect(kitEvents[1].payload.components).toEqual([
      { id: gauge.id, name: 'Pressure gauge', quantity: 1, condition: 'excellent' },
      { id: coolant.id, name: 'Coolant can', quantity: 2, condition: 'fair' },
    ]);
    expect(kitEvents[4].payload).toMatchObject({
      missingComponents: [coolant.id],
      damagedComponents: [{ id: gauge.id, severity: 'moderate' }],
      condition: 'fair',
    });
    const startedEvent = (await outbox(a.id, 'ACTIVITY_STARTED'))[0];
    expect(startedEvent.payload.kitsInUse).toEqual([kit.id]);
  });
});
