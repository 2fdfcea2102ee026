import { systemContext } from '@app/shared/context/request-context';
import { InMemoryStatusHistory } from '@app/shared/testing/in-memory-status';
import { InMemoryTransactions } from '@app/shared/testing/in-memory-transactions';
import { RecordingOutbox } from '@app/shared/testing/recording-outbox';
import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { FixedClock } from '@app/shared/time/clock';
import { DEFAULT_FLOWS, DEFAULT_SETTINGS } from '../status-config/default-flows';
import { EventFlow } from '../status-config/event-flow';
import { EventFlowService } from '../status-config/event-flow.service';
import { ContractEventRepository, ContractEventRow } from './contract-event.repository';
import { EventEvidenceRepository } from './event-evidence.repository';
import { EventStatusMover, MoveOptions } from './event-status-mover';
import { AppointmentViewRepository } from '../appointment-sync/appointment-view.repository';
import { EventAssigneeRepository } from './event-assignee.repository';
import { EventTaskRepository } from './event-task.repository';

/**
 * The status rules of contract events, without a database: the tenant's default flows, the mover with its
 * hooks, and in-memory stand-ins for the rows it reads (evidence, sub-tasks) and writes.
 */
const TENANT = '6f1a3c1e-7e0b-4b53-9a51-3d8f3f1f2b10';
const OTHER_TENANT = '7a2b4d2f-8f1c-4c64-8b62-4e9f4f2f3c21';
const EVENT_ID = '2d1b7a3e-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const user = { type: 'user' as const, id: '11111111-1111-4111-8111-111111111111', name: 'Asha Admin' };
const ctx = { ...systemContext(TENANT, 'corr-1'), actor: user, roles: ['admin' as const] };

function event(over: Partial<ContractEventRow> = {}): ContractEventRow {
  return {
    id: EVENT_ID,
    tenantId: TENANT,
    contractId: '3e2c8b4f-5d6e-4f70-9b8c-0d1e2f3a4b5c',
    taskId: 'TSK-00001',
    eventType: 'service',
    title: 'Quarterly service visit',
    status: 'scheduled',
    statusChangedAt: new Date('2026-03-01T00:00:00Z'),
    scheduledDate: new Date('2026-03-10T00:00:00Z'),
    originalDate: new Date('2026-03-10T00:00:00Z'),
    sequenceNumber: 1,
    totalOccurrences: 4,
    promiseKey: 'service:0',
    partId: null,
    promiseQty: null,
    quantity: 1,
    isUnlimited: false,
    amount: null,
    amountSettled: '0.00',
    currency: null,
    notes: null,
    source: 'system',
    version: 3,
    createdAt: new Date('2026-03-01T00:00:00Z'),
    updatedAt: new Date('2026-03-01T00:00:00Z'),
    ...over,
  };
}

function harness() {
  const evidence: Array<{ tenantId: string; evidenceId: string; eventId: string; status: string }> = [];
  const openTasks: Array<{ id: string; title: string }> = [];
  const writes: Array<{ id: string; status: string }> = [];
  const flows = {
    load: async (_db: unknown, _tenantId: string, type: 'service' | 'spare_part' | 'billing') =>
      new EventFlow(type, new StatusMachine(DEFAULT_FLOWS[type], 'strict'), DEFAULT_SETTINGS[type], false),
  } as unknown as EventFlowService;
  const events = {
    setStatuses: async (_db: unknown, _tenantId: string, moves: Array<{ id: string; status: string; version: number }>) => {
      writes.push(...moves.map(({ id, status }) => ({ id, status })));
      return moves.map((m) => m.version + 1);
    },
  } as unknown as ContractEventRepository;
  const evidenceRepo = {
    unknown: async (_db: unknown, tenantId: string, ids: string[]) => ids.filter((id) => !evidence.some((e) => e.tenantId === tenantId && e.evidenceId === id)),
    missing: async (_db: unknown, tenantId: string, eventId: string, ids: string[]) =>
      ids.filter((id) => !evidence.some((e) => e.tenantId === tenantId && e.evidenceId === id && e.eventId === eventId && e.status !== 'rejected')),
  } as unknown as EventEvidenceRepository;
  const tasks = { openRequired: async () => openTasks, openOf: async () => openTasks.map((t) => ({ ...t, dueDate: null })) } as unknown as EventTaskRepository;
  const assignees = { ofEvents: async () => new Map() } as unknown as EventAssigneeRepository;
  const visits = { nextOfEvent: async () => null, hasConfirmedLocation: async () => false } as unknown as AppointmentViewRepository;
  const outbox = new RecordingOutbox('events');
  const history = new InMemoryStatusHistory();
  const clock = new FixedClock(new Date('2026-03-02T06:00:00Z'));
  const mover = new EventStatusMover(flows, events, evidenceRepo, tasks, assignees, visits, outbox, clock, history);
  const db = new InMemoryTransactions();
  const move = (e: ContractEventRow, to: string, opts: Partial<MoveOptions> = {}) => db.run((tx) => mover.move(tx, ctx, e, to, { by: 'person', ...opts }));
  return { mover, move, db, outbox, history, writes, evidence, openTasks };
}

describe('contract event status rules', () => {
  it('refuses a move the tenant’s flow does not define, naming the moves it allows', async () => {
    const h = harness();
    await expect(h.move(event(), 'completed')).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { from: 'scheduled', to: 'completed', allowed: expect.arrayContaining(['assigned', 'in_progress', 'cancelled']) },
    });
    expect([h.writes, h.history.rows, h.outbox.appended]).toEqual([[], [], []]);
  });

  it('refuses a status the flow does not have', async () => {
    await expect(harness().move(event(), 'teleported')).rejects.toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
  });

  it('asks for a reason where the flow requires one, and keeps it in the history and the event', async () => {
    const h = harness();
    await expect(h.move(event({ status: 'assigned' }), 'on_hold')).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    await h.move(event({ status: 'assigned' }), 'on_hold', { reason: 'Customer away' });
    expect(h.history.rows[0]).toMatchObject({ from: 'assigned', to: 'on_hold', reason: 'Customer away', actor: user, source: 'user' });
    expect(h.outbox.ofType('CONTRACT_EVENT_STATUS_CHANGED')[0].payload).toMatchObject({
      previousStatus: 'assigned',
      newStatus: 'on_hold',
      reason: 'Customer away',
    });
  });

  it('completes a visit only with evidence recorded on a ticket of this event', async () => {
    const h = harness();
    const working = event({ status: 'in_progress' });
    await expect(h.move(working, 'completed')).rejects.toMatchObject({ code: 'EVIDENCE_REQUIRED' });
    h.evidence.push({ tenantId: TENANT, evidenceId: 'a0000000-0000-4000-8000-000000000001', eventId: 'another-event', status: 'uploaded' });
    await expect(h.move(working, 'completed', { evidenceIds: ['a0000000-0000-4000-8000-000000000001'] })).rejects.toMatchObject({
      code: 'EVIDENCE_REQUIRED',
      details: { unknownEvidenceIds: ['a0000000-0000-4000-8000-000000000001'] },
    });
    h.evidence.push({ tenantId: TENANT, evidenceId: 'a0000000-0000-4000-8000-000000000002', eventId: EVENT_ID, status: 'rejected' });
    await expect(h.move(working, 'completed', { evidenceIds: ['a0000000-0000-4000-8000-000000000002'] })).rejects.toMatchObject({ code: 'EVIDENCE_REQUIRED' });
    h.evidence.push({ tenantId: TENANT, evidenceId: 'a0000000-0000-4000-8000-000000000003', eventId: EVENT_ID, status: 'verified' });
    const done = await h.move(working, 'completed', { evidenceIds: ['a0000000-0000-4000-8000-000000000003'] });
    expect(done).toMatchObject({ status: 'completed', version: 4 });
    expect(h.outbox.ofType('CONTRACT_EVENT_STATUS_CHANGED')[0].payload.evidenceIds).toEqual(['a0000000-0000-4000-8000-000000000003']);
  });

  it('treats another tenant’s evidence as unknown (404), even where the move needs none', async () => {
    const h = harness();
    h.evidence.push({ tenantId: OTHER_TENANT, evidenceId: 'b0000000-0000-4000-8000-000000000001', eventId: EVENT_ID, status: 'verified' });
    await expect(h.move(event(), 'in_progress', { evidenceIds: ['b0000000-0000-4000-8000-000000000001'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('holds completion while a required sub-task is open', async () => {
    const h = harness();
    h.evidence.push({ tenantId: TENANT, evidenceId: 'a0000000-0000-4000-8000-000000000004', eventId: EVENT_ID, status: 'uploaded' });
    h.openTasks.push({ id: 'c0000000-0000-4000-8000-000000000001', title: 'Replace filter' });
    const working = event({ status: 'in_progress' });
    const evidenceIds = ['a0000000-0000-4000-8000-000000000004'];
    await expect(h.move(working, 'completed', { evidenceIds })).rejects.toMatchObject({
      code: 'BUSINESS_RULE',
      details: { openTaskIds: ['c0000000-0000-4000-8000-000000000001'] },
    });
    h.openTasks.length = 0;
    await expect(h.move(working, 'completed', { evidenceIds })).resolves.toMatchObject({ status: 'completed' });
  });

  it('leaves money-driven statuses to payments', async () => {
    const h = harness();
    const bill = event({ eventType: 'billing', status: 'payment_pending', amount: '1000.00', currency: 'INR' });
    await expect(h.move(bill, 'paid')).rejects.toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', message: expect.stringContaining('recording a payment') });
    await expect(h.move(bill, 'paid', { by: 'system', reason: 'Payment recorded' })).resolves.toMatchObject({ status: 'paid' });
  });

  it('records who moved it, why, and how long it stayed, and announces the new version', async () => {
    const h = harness();
    await h.move(event(), 'in_progress');
    expect(h.writes).toEqual([{ id: EVENT_ID, status: 'in_progress' }]);
    expect(h.history.rows).toEqual([
      expect.objectContaining({
        subjectId: EVENT_ID,
        from: 'scheduled',
        to: 'in_progress',
        secondsInPrevious: 108000,
        isValidTransition: true,
        at: new Date('2026-03-02T06:00:00Z'),
      }),
    ]);
    const [changed] = h.outbox.appended;
    expect(changed).toMatchObject({ type: 'CONTRACT_EVENT_STATUS_CHANGED', aggregateId: EVENT_ID, aggregateVersion: 4 });
    expect(changed.payload).toMatchObject({
      taskId: 'TSK-00001',
      previousStatus: 'scheduled',
      newStatus: 'in_progress',
      source: 'user',
      changedAt: '2026-03-02T06:00:00.000Z',
    });
  });

  it('closes events on contract cancellation whatever the flow says, flagging moves it lacks', async () => {
    const h = harness();
    const flow = (type: 'service' | 'spare_part') => new EventFlow(type, new StatusMachine(DEFAULT_FLOWS[type], 'strict'), DEFAULT_SETTINGS[type], false);
    const shipped = event({ id: 'd0000000-0000-4000-8000-000000000001', eventType: 'spare_part', status: 'shipped' });
    const visit = event({ id: 'd0000000-0000-4000-8000-000000000002', status: 'in_progress' });
    await h.db.run((tx) =>
      h.mover.close(
        tx,
        ctx,
        [
          { event: shipped, flow: flow('spare_part'), to: 'cancelled' },
          { event: visit, flow: flow('service'), to: 'cancelled' },
        ],
        'Contract cancelled: customer left',
      ),
    );
    expect(h.history.rows.map((r) => [r.from, r.to, r.isValidTransition])).toEqual([
      ['shipped', 'cancelled', false],
      ['in_progress', 'cancelled', true],
    ]);
    expect(h.outbox.ofType('CONTRACT_EVENT_STATUS_CHANGED').map((e) => e.payload.reason)).toEqual([
      'Contract cancelled: customer left',
      'Contract cancelled: customer left',
    ]);
  });

  it('emits the seed lifecycle event beside the generic one: preparation with the open sub-tasks, then start, completion and cancellation', async () => {
    const h = harness();
    h.openTasks.push({ id: '00000000-0000-4000-8000-0000000000a1', title: 'Order filters' });
    const assigned = await h.move(event(), 'assigned');
    expect(h.outbox.types).toEqual(['CONTRACT_EVENT_STATUS_CHANGED', 'EVENT_PREPARATION_STARTED']);
    expect(h.outbox.ofType('EVENT_PREPARATION_STARTED')[0].payload).toMatchObject({
      eventId: assigned.id,
      bookingId: assigned.contractId,
      startedBy: ctx.actor.id,
      startedAt: '2026-03-02T06:00:00.000Z',
      preparationTasks: [{ id: '00000000-0000-4000-8000-0000000000a1', description: 'Order filters' }],
    });
    h.outbox.clear();
    const started = await h.move(assigned, 'in_progress');
    expect(h.outbox.types).toEqual(['CONTRACT_EVENT_STATUS_CHANGED', 'EVENT_STARTED']);
    h.outbox.clear();
    await h.move(started, 'on_hold', { reason: 'parts' });
    expect(h.outbox.types).toEqual(['CONTRACT_EVENT_STATUS_CHANGED']);
    h.outbox.clear();
    await h.move(assigned, 'cancelled', { reason: 'customer closed the site' });
    expect(h.outbox.ofType('EVENT_CANCELLED')[0].payload).toMatchObject({ reason: 'customer closed the site', cancelledBy: ctx.actor.id, notifyClient: false });
  });
});
