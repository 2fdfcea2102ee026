import { randomUUID } from 'node:crypto';
import { assignActivity, createActivity, getActivity, startActivity } from '@app/shared/api/events/activities.operations';
import {
  assignKitToActivity,
  checkOutKit,
  createKit,
  createKitTemplate,
  deleteKitTemplate,
  getKit,
  listKitHistory,
  listKitTemplates,
  prepareKit,
  reportKitIssue,
  returnKit,
  updateKit,
  updateKitTemplate,
} from '@app/shared/api/events/kits.operations';
import { ActivityFixture } from './support/activity-fixture';
import type { EventsHarness } from './support/events-harness';

/** The kits half of activities and kits (activities-kits.int-spec.ts has the activities). */
describe('kits inside contract events', () => {
  let f: ActivityFixture;
  let h: EventsHarness;
  let techId: ActivityFixture['techId'];
  let otherTechId: ActivityFixture['techId'];

  beforeAll(async () => {
    f = await ActivityFixture.start();
    ({ h, techId, otherTechId } = f);
  });

  afterAll(async () => {
    await h?.close();
  });

  const asTech = (id?: ActivityFixture['techId']) => f.asTech(id);
  const nextServiceEvent = () => f.nextServiceEvent();
  const outbox = (aggregateId: string, typePrefix: string) => f.outbox(aggregateId, typePrefix);
  const template = (name?: string) => f.template(name);

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

  it('refuses with 409, not a 500, the second of two renames to one label racing each other', async () => {
    const t = await template('Race kit');
    const [a, b] = await Promise.all([
      h.rpc.ok(createKit, { templateId: t.id, label: `RACE-A-${randomUUID().slice(0, 6)}` }),
      h.rpc.ok(createKit, { templateId: t.id, label: `RACE-B-${randomUUID().slice(0, 6)}` }),
    ]);
    const taken = `RACE-${randomUUID().slice(0, 8)}`;
    // Another writer renames A and has not committed yet: B's rename sees no kit with that label and waits on the index.
    await h.db.query('BEGIN');
    await h.db.query('UPDATE kit_instances SET label = $1 WHERE id = $2', [taken, a.id]);
    const second = h.rpc.call(updateKit, { id: b.id, label: taken, version: b.version });
    await new Promise((r) => setTimeout(r, 300));
    await h.db.query('COMMIT');
    expect(await second).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await h.rpc.ok(getKit, { id: b.id })).toMatchObject({ label: b.label, version: b.version });
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
