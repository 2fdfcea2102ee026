import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { systemContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import type { HistoryRow } from '@app/shared/status-machine/status-history';
import { RecordingOutbox } from '@app/shared/testing/recording-outbox';
import { ContractHistoryRepository } from './contract-history.repository';
import { ContractStatusRecorder } from './contract-status-recorder';

/** Every contract status change is in the history and announced, with who made it; a non-move is neither. */
const TENANT = '6f1a3c1e-7e0b-4b53-9a51-3d8f3f1f2b10';
const ID = '3e2c8b4f-5d6e-4f70-9b8c-0d1e2f3a4b5c';
const tx = {} as Db;

function harness(lastChange?: Date) {
  const rows: HistoryRow[] = [];
  const history = {
    lastChanges: async () => new Map(lastChange ? [[ID, lastChange]] : []),
    append: async (_db: Db, r: HistoryRow[]) => void rows.push(...r),
  } as unknown as ContractHistoryRepository;
  const outbox = new RecordingOutbox();
  return { rows, outbox, recorder: new ContractStatusRecorder(history, outbox) };
}

const contract = (status: string, version: number) => ({
  id: ID,
  status,
  version,
  contractNumber: 'AMC-1',
  title: 'Chillers',
  customer: { name: 'Lakeview Towers' },
  createdAt: new Date('2026-01-01T00:00:00Z'),
});

describe('ContractStatusRecorder', () => {
  it('records a move as VaNi with source vani, the time since the last change, and announces it', async () => {
    const h = harness(new Date('2026-01-02T00:00:00Z'));
    const ctx = systemContext(TENANT, 'corr', SYSTEM_ACTORS.vani);
    await h.recorder.record(
      tx,
      ctx,
      [{ before: contract('draft', 1), after: contract('pending_review', 2), reason: 'Submitted for review' }],
      new Date('2026-01-02T01:00:00Z'),
    );
    expect(h.rows).toEqual([
      expect.objectContaining({ subjectId: ID, from: 'draft', to: 'pending_review', actor: SYSTEM_ACTORS.vani, source: 'vani', secondsInPrevious: 3600 }),
    ]);
    const [e] = h.outbox.ofType('CONTRACT_STATUS_CHANGED');
    expect(e.aggregateVersion).toBeUndefined();
    expect(e.actor).toEqual(SYSTEM_ACTORS.vani);
    expect(e.payload).toMatchObject({
      contractId: ID,
      previousStatus: 'draft',
      newStatus: 'pending_review',
      reason: 'Submitted for review',
      changedBy: { type: 'vani', name: 'VaNi' },
      source: 'vani',
      version: 2,
    });
  });

  it('counts the time in the first status from the contract’s creation, and System’s moves have source system', async () => {
    const h = harness();
    await h.recorder.record(
      tx,
      systemContext(TENANT),
      [{ before: contract('active', 4), after: contract('expired', 5), reason: null }],
      new Date('2026-01-01T00:10:00Z'),
    );
    expect(h.rows[0]).toMatchObject({ secondsInPrevious: 600, source: 'system', actor: SYSTEM_ACTORS.system, reason: null });
    expect(h.outbox.ofType('CONTRACT_STATUS_CHANGED')[0].payload).not.toHaveProperty('reason');
  });

  it('records nothing when the status did not move', async () => {
    const h = harness();
    await h.recorder.record(tx, systemContext(TENANT), [{ before: contract('active', 4), after: contract('active', 5), reason: 'edit' }], new Date());
    expect(h.rows).toEqual([]);
    expect(h.outbox.appended).toEqual([]);
  });
});
