import { Role } from '@app/shared/context/request-context';
import { randomUUID } from 'node:crypto';
import { captureEvents, CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { referenceContract } from '../apps/events/test/support/contract-factory';
import { startStack, Stack } from './support/stack';

/**
 * The field names of each payload as the seed gives them (booking-events-schema.md §3 and §5): `required`
 * must be there, `optional` may be; the JavaScript type of each is checked too.
 */
type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object';
const SEED: Record<string, { required: Record<string, Kind>; optional?: Record<string, Kind> }> = {
  ACTIVITY_CREATED: {
    required: {
      activityId: 'string',
      eventId: 'string',
      bookingId: 'string',
      createdBy: 'string',
      createdAt: 'string',
      activityType: 'string',
      description: 'string',
      duration: 'number',
      requiredKitTemplateIds: 'array',
      requiredStaffRoles: 'array',
    },
  },
  ACTIVITY_ASSIGNED: {
    required: {
      activityId: 'string',
      eventId: 'string',
      assignmentId: 'string',
      assignedTo: 'string',
      assignedBy: 'string',
      assignedAt: 'string',
      role: 'string',
    },
    optional: { instructions: 'string' },
  },
  ACTIVITY_STARTED: {
    required: { activityId: 'string', eventId: 'string', startedBy: 'string', startedAt: 'string', kitsInUse: 'array', staffExecuting: 'array' },
  },
  ACTIVITY_COMPLETED: { required: { activityId: 'string', eventId: 'string', completedBy: 'string', completedAt: 'string', outcomes: 'object' } },
  ACTIVITY_ISSUE_REPORTED: {
    required: {
      activityId: 'string',
      eventId: 'string',
      reportedBy: 'string',
      reportedAt: 'string',
      issueType: 'string',
      description: 'string',
      impactLevel: 'string',
    },
    optional: { photoUrls: 'array' },
  },
  KIT_ASSIGNED_TO_ACTIVITY: {
    required: {
      kitAssignmentId: 'string',
      activityId: 'string',
      eventId: 'string',
      kitTemplateId: 'string',
      assignedBy: 'string',
      assignedAt: 'string',
      quantity: 'number',
    },
    optional: { kitInstanceId: 'string', notes: 'string' },
  },
  KIT_PREPARED: {
    required: {
      kitAssignmentId: 'string',
      activityId: 'string',
      eventId: 'string',
      kitInstanceId: 'string',
      preparedBy: 'string',
      preparedAt: 'string',
      components: 'array',
    },
    optional: { notes: 'string' },
  },
  KIT_CHECKED_OUT: {
    required: {
      kitAssignmentId: 'string',
      activityId: 'string',
      eventId: 'string',
      kitInstanceId: 'string',
      checkedOutBy: 'string',
      checkedOutAt: 'string',
      checkedOutTo: 'string',
      expectedReturnDate: 'string',
    },
  },
  KIT_RETURNED: {
    required: {
      kitAssignmentId: 'string',
      activityId: 'string',
      eventId: 'string',
      kitInstanceId: 'string',
      returnedBy: 'string',
      returnedAt: 'string',
      receivedBy: 'string',
      condition: 'string',
    },
    optional: { missingComponents: 'array', damagedComponents: 'array', notes: 'string' },
  },
  KIT_ISSUE_REPORTED: {
    required: {
      kitAssignmentId: 'string',
      activityId: 'string',
      eventId: 'string',
      kitInstanceId: 'string',
      reportedBy: 'string',
      reportedAt: 'string',
      issueType: 'string',
      description: 'string',
      impactLevel: 'string',
      needsImmediate: 'boolean',
    },
    optional: { photoUrls: 'array' },
  },
};

function kindOf(v: unknown): Kind | 'other' {
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : v && t === 'object' ? 'object' : 'other';
}

/** Every seed field is there with its type; `present` lists the optional ones this flow must also carry. */
function expectSeedFields(type: string, payload: Record<string, unknown>, present: string[] = []): void {
  const seed = SEED[type];
  for (const [field, kind] of Object.entries(seed.required)) expect([field, kindOf(payload[field])]).toEqual([field, kind]);
  for (const field of present) expect([field, kindOf(payload[field])]).toEqual([field, seed.optional![field]]);
}

const tenantA = randomUUID();
const tenantB = randomUUID();
const adminId = randomUUID();
const techId = randomUUID();

describe('activities and kits through the gateway and the broker', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let capture: CapturedEvents;

  const as = (roles: Role[], userId: string, tenantId = tenantA) =>
    authHeader({ tenantId, userId, roles, name: roles[0] === 'technician' ? 'Tariq Tech' : 'Asha Admin' });
  const admin = (method: string, path: string, body?: unknown) => stack.http(method, path, as(['admin'], adminId), body);
  const technician = (method: string, path: string, body?: unknown) => stack.http(method, path, as(['technician'], techId), body);
  const otherTenant = (method: string, path: string, body?: unknown) => stack.http(method, path, as(['admin'], adminId, tenantB), body);

  beforeAll(async () => {
    env = await createTestEnvironment();
    stack = await startStack(env, { services: ['events'], env: { events: { EVENT_SCHEDULER_ENABLED: 'false' } } });
    for (const id of [tenantA, tenantB]) await stack.registerTenant(id);
    capture = await captureEvents(env, Object.keys(SEED));
  });

  afterAll(async () => {
    await capture?.close();
    await stack?.close();
    await env?.dispose();
  });

  it('drives an activity and its kit end to end, each domain event with the seed’s fields, and another tenant sees none of it', async () => {
    const contract = await admin('POST', '/contracts', referenceContract());
    expect(contract.status).toBe(201);
    expect((await admin('POST', `/contracts/${contract.body.id}/activate`)).status).toBe(200);
    const [event] = (await admin('GET', `/events?contractId=${contract.body.id}&type=service&limit=1`)).body.items;

    // kits: a template with components, a kit made from it
    const template = await admin('POST', '/kit-templates', {
      name: 'Chiller service kit',
      components: [
        { name: 'Manifold gauge', quantity: 1 },
        { name: 'Refrigerant can', quantity: 3 },
      ],
    });
    expect(template.status).toBe(201);
    const [gauge, can] = template.body.components;
    expect((await technician('POST', '/kit-templates', { name: 'No', components: [{ name: 'x', quantity: 1 }] })).status).toBe(403);
    const kit = await admin('POST', '/kits', { templateId: template.body.id, label: 'KIT-CH-001', condition: 'good' });
    expect(kit).toMatchObject({ status: 201, body: { status: 'available', components: [{ id: gauge.id }, { id: can.id }] } });

    // 1. the activity
    const created = await admin('POST', `/events/${event.id}/activities`, {
      title: 'Recharge refrigerant',
      activityType: 'recharge',
      description: 'Top up to spec',
      duration: 60,
      requiredKitTemplateIds: [template.body.id],
      requiredStaffRoles: ['technician'],
    });
    expect(created).toMatchObject({ status: 201, body: { status: 'open', eventId: event.id, contractId: contract.body.id } });
    const activity = created.body;
    const base = `/events/${event.id}/activities/${activity.id}`;
    expect((await technician('POST', `/events/${event.id}/activities`, { title: 'x', activityType: 'x' })).status).toBe(403);
    expect(await admin('POST', `${base}/start`, {})).toMatchObject({ status: 422, body: { code: 'BUSINESS_RULE' } });
    expect((await technician('POST', `${base}/assign`, { assigneeId: techId })).status).toBe(403);
    const assigned = await admin('POST', `${base}/assign`, {
      assigneeId: techId,
      name: 'Tariq',
      role: 'technician',
      instructions: 'Gate code 4411',
      version: 1,
    });
    expect(assigned).toMatchObject({ status: 200, body: { status: 'assigned', version: 2 } });
    expect(await technician('POST', `${base}/start`, { version: 1 })).toMatchObject({ status: 409, body: { code: 'VERSION_CONFLICT' } });

    // 2. the kit goes with it
    const assignment = await admin('POST', `${base}/kits`, { kitId: kit.body.id, quantity: 1, notes: 'Shelf B' });
    expect(assignment).toMatchObject({ status: 201, body: { status: 'assigned', kitId: kit.body.id, activityId: activity.id } });
    expect((await technician('POST', `/kits/${kit.body.id}/prepare`, { components: [{ id: can.id, condition: 'fair' }], notes: 'Cans checked' })).status).toBe(
      200,
    );
    const out = await technician('POST', `/kits/${kit.body.id}/check-out`, { expectedReturnDate: '2026-02-01T18:00:00+05:30' });
    expect(out).toMatchObject({ status: 200, body: { status: 'checked_out', assignment: { checkedOutTo: techId } } });
    const twice = await technician('POST', `/kits/${kit.body.id}/check-out`, { expectedReturnDate: '2026-02-01T18:00:00+05:30' });
    expect(twice).toMatchObject({ status: 409, body: { code: 'CONFLICT', detail: expect.stringContaining('already checked out') } });

    const started = await technician('POST', `${base}/start`, { version: 2 });
    expect(started).toMatchObject({ status: 200, body: { status: 'in_progress', kitsInUse: [kit.body.id] } });
    const issue = await technician('POST', `${base}/issues`, {
      issueType: 'access_denied',
      description: 'Plant room locked for 20 min',
      impactLevel: 'minor',
      photoUrls: ['https://files.example/door.jpg'],
    });
    expect(issue.status).toBe(201);
    const kitIssue = await technician('POST', `/kits/${kit.body.id}/issues`, {
      issueType: 'insufficient',
      description: 'One can short',
      impactLevel: 'moderate',
      needsImmediate: false,
    });
    expect(kitIssue.status).toBe(201);
    const completed = await technician('POST', `${base}/complete`, {
      outcomes: { metrics: { suctionPsi: 68.5 }, notes: 'Recharged', photoUrls: ['https://files.example/gauge.jpg'] },
    });
    expect(completed).toMatchObject({ status: 200, body: { status: 'completed', completedBy: techId } });
    expect(await technician('POST', `${base}/complete`, {})).toEqual(completed);
    const back = await admin('POST', `/kits/${kit.body.id}/return`, {
      condition: 'good',
      components: [
        { id: can.id, missing: true },
        { id: gauge.id, damage: { description: 'Bent hose', severity: 'minor' } },
      ],
    });
    expect(back).toMatchObject({ status: 200, body: { status: 'out_of_service', assignment: { status: 'returned', missingComponents: [can.id] } } });
    const history = await admin('GET', `/kits/${kit.body.id}/history`);
    expect(history.body.items.map((h: { action: unknown }) => h.action)).toEqual([
      'created',
      'assigned',
      'prepared',
      'checked_out',
      'issue_reported',
      'returned',
    ]);

    // each domain event from the broker, with the seed's fields
    const of = (type: string) => capture.waitFor(type, (e) => e.tenantId === tenantA);
    const created_ = await of('ACTIVITY_CREATED');
    expectSeedFields('ACTIVITY_CREATED', created_.payload);
    expect(created_.payload).toMatchObject({ activityId: activity.id, eventId: event.id, bookingId: contract.body.id, createdBy: adminId, duration: 60 });
    const assigned_ = await of('ACTIVITY_ASSIGNED');
    expectSeedFields('ACTIVITY_ASSIGNED', assigned_.payload, ['instructions']);
    expect(assigned_.payload).toMatchObject({ assignedTo: techId, assignedBy: adminId, role: 'technician', assignmentId: assigned.body.assignee.assignmentId });
    const started_ = await of('ACTIVITY_STARTED');
    expectSeedFields('ACTIVITY_STARTED', started_.payload);
    expect(started_.payload).toMatchObject({ startedBy: techId, kitsInUse: [kit.body.id], staffExecuting: [techId] });
    const completed_ = await of('ACTIVITY_COMPLETED');
    expectSeedFields('ACTIVITY_COMPLETED', completed_.payload);
    expect(completed_.payload.outcomes).toEqual({ metrics: { suctionPsi: 68.5 }, notes: 'Recharged', photoUrls: ['https://files.example/gauge.jpg'] });
    const issue_ = await of('ACTIVITY_ISSUE_REPORTED');
    expectSeedFields('ACTIVITY_ISSUE_REPORTED', issue_.payload, ['photoUrls']);
    expect(issue_.payload).toMatchObject({ reportedBy: techId, impactLevel: 'minor', issueType: 'access_denied' });

    const kitAssigned = await of('KIT_ASSIGNED_TO_ACTIVITY');
    expectSeedFields('KIT_ASSIGNED_TO_ACTIVITY', kitAssigned.payload, ['kitInstanceId', 'notes']);
    expect(kitAssigned.payload).toMatchObject({
      kitAssignmentId: assignment.body.id,
      kitTemplateId: template.body.id,
      kitInstanceId: kit.body.id,
      quantity: 1,
    });
    const prepared = await of('KIT_PREPARED');
    expectSeedFields('KIT_PREPARED', prepared.payload, ['notes']);
    expect(prepared.payload.components).toEqual([
      { id: gauge.id, name: 'Manifold gauge', quantity: 1, condition: 'good' },
      { id: can.id, name: 'Refrigerant can', quantity: 3, condition: 'fair' },
    ]);
    const checkedOut = await of('KIT_CHECKED_OUT');
    expectSeedFields('KIT_CHECKED_OUT', checkedOut.payload);
    expect(checkedOut.payload).toMatchObject({ checkedOutBy: techId, checkedOutTo: techId, expectedReturnDate: '2026-02-01T12:30:00.000Z' });
    const returned = await of('KIT_RETURNED');
    expectSeedFields('KIT_RETURNED', returned.payload, ['missingComponents', 'damagedComponents']);
    expect(returned.payload).toMatchObject({
      returnedBy: techId,
      receivedBy: adminId,
      condition: 'good',
      missingComponents: [can.id],
      damagedComponents: [{ id: gauge.id, description: 'Bent hose', severity: 'minor' }],
    });
    const kitIssue_ = await of('KIT_ISSUE_REPORTED');
    expectSeedFields('KIT_ISSUE_REPORTED', kitIssue_.payload);
    expect(kitIssue_.payload).toMatchObject({ issueType: 'insufficient', needsImmediate: false, kitInstanceId: kit.body.id, activityId: activity.id });
    // each announced once: the refused and repeated calls announced nothing
    for (const type of Object.keys(SEED)) expect([type, capture.ofType(type).filter((e) => e.tenantId === tenantA).length]).toEqual([type, 1]);

    // another tenant sees none of it
    for (const path of [base, `/events/${event.id}/activities`, `/kits/${kit.body.id}`, `/kits/${kit.body.id}/history`, `/kit-templates/${template.body.id}`]) {
      expect([path, (await otherTenant('GET', path)).status]).toEqual([path, 404]);
    }
    expect((await otherTenant('POST', `${base}/start`, {})).status).toBe(404);
    expect((await otherTenant('POST', `/kits/${kit.body.id}/return`, { condition: 'good' })).status).toBe(404);
    expect((await otherTenant('GET', '/kits')).body.items).toEqual([]);
    expect((await otherTenant('GET', '/kit-templates')).body.items).toEqual([]);
  });
});
