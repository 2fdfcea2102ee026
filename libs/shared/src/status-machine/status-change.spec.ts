import { systemContext } from '../context/request-context';
import { SYSTEM_ACTORS } from '../context/actor';
import { Sql } from '../db/sql';
import { DomainError } from '../errors/domain-error';
import { InMemoryStatusHistory } from '../testing/in-memory-status';
import { InMemoryTransactions } from '../testing/in-memory-transactions';
import { RecordingOutbox } from '../testing/recording-outbox';
import { FixedClock } from '../time/clock';
import { seedFlow } from './flow-format';
import { PlannedChange, StatusChangeHooks, StatusChangeKit } from './status-change';
import { StatusMachine } from './status-machine';

interface Ticket {
  id: string;
  tenantId: string;
  status: string;
  statusChangedAt: Date;
  version: number;
}

const FLOW = seedFlow({
  statuses: [
    ['open', 'Open', null, null, 'upcoming', 'initial'],
    ['working', 'Working', null, null, 'in_progress'],
    ['done', 'Done', null, null, 'done', 'terminal'],
    ['cancelled', 'Cancelled', null, null, 'cancelled', 'terminal'],
  ],
  transitions: ['open>working', 'working>done +evidence', 'open|working>cancelled +reason'],
});

const tenantId = '6f1a3c1e-7e0b-4b53-9a51-3d8f3f1f2b10';
const ctx = { ...systemContext(tenantId, 'corr-1'), actor: { type: 'user' as const, id: '11111111-1111-4111-8111-111111111111', name: 'Asha' } };
const ticket = (over: Partial<Ticket> = {}): Ticket => ({
  id: 'f2b3a0a4-3c9b-4a49-8d0a-6a4c2f1d9e01',
  tenantId,
  status: 'open',
  statusChangedAt: new Date('2026-01-01T00:00:00Z'),
  version: 1,
  ...over,
});

function setup(hooks: Partial<StatusChangeHooks<Ticket>> = {}) {
  const clock = new FixedClock(new Date('2026-01-01T01:00:00Z'));
  const outbox = new RecordingOutbox();
  const history = new InMemoryStatusHistory();
  const db = new InMemoryTransactions();
  const applied: Array<{ changes: readonly PlannedChange<Ticket>[]; history: Sql }> = [];
  const kit = new StatusChangeKit<Ticket>(
    { outbox, clock, history },
    {
      apply: async (_tx, _ctx, changes, h) => {
        applied.push({ changes, history: h });
        return changes.map((c) => ({ ...c.subject, status: c.to, statusChangedAt: c.at, version: c.subject.version + 1 }));
      },
      ...hooks,
    },
  );
  return { kit, outbox, history, db, applied, clock };
}

const strict = new StatusMachine(FLOW, 'strict');
const soft = new StatusMachine(FLOW, 'soft');

describe('StatusChangeKit', () => {
  it('applies an allowed move and writes one history row with who, why and how long', async () => {
    const { kit, history, db, applied } = setup();
    const moved = await db.run((tx) => kit.change(tx, ctx, strict, ticket(), { to: 'working', reason: 'on my way' }));
    expect(moved.updated).toMatchObject({ status: 'working', version: 2 });
    expect(applied).toHaveLength(1);
    expect(history.rows).toEqual([
      {
        tenantId,
        subjectId: ticket().id,
        from: 'open',
        to: 'working',
        actor: ctx.actor,
        source: 'user',
        reason: 'on my way',
        secondsInPrevious: 3600,
        isValidTransition: true,
        at: new Date('2026-01-01T01:00:00Z'),
        extra: undefined,
      },
    ]);
  });

  it('refuses, on a strict machine, a move the flow does not define, and writes nothing', async () => {
    const { kit, history, db, applied } = setup();
    const err = await db.run((tx) => kit.change(tx, ctx, strict, ticket(), { to: 'done' })).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', details: { from: 'open', to: 'done', allowed: ['working', 'cancelled'] } });
    expect(applied).toEqual([]);
    expect(history.rows).toEqual([]);
  });

  it('asks for the reason and the evidence the flow requires', async () => {
    const { kit, db } = setup();
    await expect(db.run((tx) => kit.change(tx, ctx, strict, ticket(), { to: 'cancelled', reason: '  ' }))).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    await expect(db.run((tx) => kit.change(tx, ctx, strict, ticket({ status: 'working' }), { to: 'done' }))).rejects.toMatchObject({
      code: 'EVIDENCE_REQUIRED',
    });
    await expect(db.run((tx) => kit.change(tx, ctx, strict, ticket({ status: 'working' }), { to: 'done', evidenceIds: ['x'] }))).resolves.toBeDefined();
  });

  it('makes, on a soft machine, a move the flow lacks and flags it in the history', async () => {
    const { kit, history, db } = setup();
    await db.run((tx) => kit.change(tx, { ...ctx, actor: SYSTEM_ACTORS.system }, soft, ticket(), { to: 'done' }));
    expect(history.rows[0]).toMatchObject({ from: 'open', to: 'done', isValidTransition: false, source: 'system' });
  });

  it('lets a forced move past the flow and the guard, recording whether the flow has it', async () => {
    const guard = jest.fn(async () => {
      throw DomainError.rule('never');
    });
    const { kit, history, db } = setup({ guard });
    await db.run((tx) => kit.change(tx, ctx, strict, ticket(), { to: 'done', force: true, reason: 'contract cancelled' }));
    expect(guard).not.toHaveBeenCalled();
    expect(history.rows[0]).toMatchObject({ to: 'done', isValidTransition: false, reason: 'contract cancelled' });
  });

  it('runs the owner’s guard after the flow’s rules; its refusal writes nothing', async () => {
    const { kit, history, db, applied } = setup({
      guard: async (_tx, _ctx, c) => {
        if (c.to === 'working') throw DomainError.rule('a technician must be assigned first');
      },
    });
    await expect(db.run((tx) => kit.change(tx, ctx, strict, ticket(), { to: 'working' }))).rejects.toThrow('a technician must be assigned first');
    expect([applied, history.rows]).toEqual([[], []]);
  });

  it('writes the history only once when apply embedded it in its own statement', async () => {
    const { kit, history, db } = setup({
      apply: async (_tx, _ctx, changes, h) => {
        h.compile();
        return changes.map((c) => ({ ...c.subject, status: c.to }));
      },
    });
    await db.run((tx) => kit.change(tx, ctx, strict, ticket(), { to: 'working' }));
    expect(history.rows).toEqual([]);
  });

  it('changes many at once: every move checked before anything is written, one append for all', async () => {
    const { kit, history, db, applied, outbox } = setup({
      events: (c) => [
        {
          type: 'CONTRACT_EVENT_STATUS_CHANGED',
          aggregateId: c.subject.id,
          aggregateVersion: c.updated.version,
          payload: {
            eventId: c.subject.id,
            contractId: c.subject.id,
            eventType: 'service',
            taskId: 'TSK-00001',
            previousStatus: c.from,
            newStatus: c.to,
            changedAt: c.at.toISOString(),
            source: 'user',
          },
        },
      ],
    });
    const a = ticket({ id: '0c7f1f5e-0000-4000-8000-000000000001' });
    const b = ticket({ id: '0c7f1f5e-0000-4000-8000-000000000002', status: 'working' });
    await expect(
      db.run((tx) =>
        kit.changeMany(tx, ctx, [
          { machine: strict, subject: a, request: { to: 'working' } },
          { machine: strict, subject: b, request: { to: 'open' } },
        ]),
      ),
    ).rejects.toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
    expect(applied).toEqual([]);
    const done = await db.run((tx) =>
      kit.changeMany(tx, ctx, [
        { machine: strict, subject: a, request: { to: 'working' } },
        { machine: strict, subject: b, request: { to: 'cancelled', reason: 'duplicate' } },
      ]),
    );
    expect(done.map((d) => d.updated.status)).toEqual(['working', 'cancelled']);
    expect(applied).toHaveLength(1);
    expect(history.rows.map((r) => `${r.from}>${r.to}`)).toEqual(['open>working', 'working>cancelled']);
    expect(outbox.ofType('CONTRACT_EVENT_STATUS_CHANGED').map((e) => e.payload.newStatus)).toEqual(['working', 'cancelled']);
  });

  it('appends the events of a batch across tenants under each move’s own context, one append per context', async () => {
    const { kit, db, outbox, applied } = setup({
      events: (c, eventCtx) => [
        {
          type: 'CONTRACT_EVENT_STATUS_CHANGED',
          aggregateId: c.subject.id,
          payload: {
            eventId: c.subject.id,
            contractId: c.subject.id,
            eventType: 'service',
            taskId: eventCtx.tenantId,
            previousStatus: c.from,
            newStatus: c.to,
            changedAt: c.at.toISOString(),
            source: 'system',
          },
        },
      ],
    });
    const otherTenant = '7a2b4d2f-8f1c-4c64-8b62-4e9f4f2f3c21';
    const theirs = { ...systemContext(otherTenant, 'corr-2'), actor: SYSTEM_ACTORS.system };
    const appends = jest.spyOn(outbox, 'append');
    await db.run((tx) =>
      kit.changeMany(tx, ctx, [
        { machine: soft, subject: ticket({ id: '0c7f1f5e-0000-4000-8000-000000000003' }), request: { to: 'working' } },
        {
          machine: soft,
          subject: ticket({ id: '0c7f1f5e-0000-4000-8000-000000000004', tenantId: otherTenant }),
          request: { to: 'working', eventContext: theirs },
        },
        {
          machine: soft,
          subject: ticket({ id: '0c7f1f5e-0000-4000-8000-000000000005', tenantId: otherTenant }),
          request: { to: 'working', eventContext: theirs },
        },
      ]),
    );
    expect(applied).toHaveLength(1);
    expect(appends).toHaveBeenCalledTimes(2);
    expect(outbox.appended.map((e) => [e.tenantId, e.payload.taskId])).toEqual([
      [tenantId, tenantId],
      [otherTenant, otherTenant],
      [otherTenant, otherTenant],
    ]);
  });
});
