import { FOREIGN_OVERLAP_MS, ReplicaState, ResumeLog, SentMessage } from './resume-log';

const T1 = 'tenant-1';
const T2 = 'tenant-2';
const WINDOW = 300_000;
let seq = 0;
const msg = (tenantId: string, sentAt: number, id = `obj-${seq + 1}`): SentMessage => ({
  seq: ++seq,
  sentAt,
  tenantId,
  topic: 'ticket',
  id,
  types: ['SERVICE_TICKET_CREATED'],
  at: new Date(sentAt).toISOString(),
  summary: {},
});
const ids = (answer: ReturnType<ResumeLog['since']>) => ('messages' in answer ? answer.messages.map((m) => m.seq) : answer.reset);

describe('the resume log', () => {
  let log: ResumeLog;
  let replica: ReplicaState;
  const now = 1_000_000_000;

  beforeEach(() => {
    seq = 0;
    log = new ResumeLog({ windowMs: WINDOW, perTenant: 5, total: 8 });
    replica = { epoch: 'epocha1', seq: 0, listeningSince: now - 100_000 };
  });

  const append = (m: SentMessage) => {
    log.append(m);
    replica.seq = m.seq;
    return m;
  };

  it('answers, for an id of this replica, exactly the tenant’s messages after it', () => {
    append(msg(T1, now - 50));
    const cut = append(msg(T1, now - 40));
    append(msg(T2, now - 30));
    append(msg(T1, now - 20));
    append(msg(T1, now - 10));
    expect(ids(log.since(T1, { epoch: replica.epoch, seq: cut.seq, time: now - 40 }, replica, now))).toEqual([4, 5]);
    expect(ids(log.since(T2, { epoch: replica.epoch, seq: cut.seq, time: now - 40 }, replica, now))).toEqual([3]);
    expect(ids(log.since(T1, { epoch: replica.epoch, seq: 5, time: now }, replica, now))).toEqual([]);
  });

  it('resets an id older than the window, and one from this replica’s future', () => {
    append(msg(T1, now - 10));
    expect(ids(log.since(T1, { epoch: replica.epoch, seq: 0, time: now - WINDOW - 1 }, replica, now))).toBe('too-old');
    expect(ids(log.since(T1, { epoch: replica.epoch, seq: 99, time: now }, replica, now))).toBe('unknown-id');
  });

  it('resets when messages after the id were forgotten to keep the tenant’s limit', () => {
    for (let i = 0; i < 7; i++) append(msg(T1, now - 100 + i));
    expect(ids(log.since(T1, { epoch: replica.epoch, seq: 1, time: now - 100 }, replica, now))).toBe('too-old');
    expect(ids(log.since(T1, { epoch: replica.epoch, seq: 2, time: now - 99 }, replica, now))).toEqual([3, 4, 5, 6, 7]);
  });

  it('forgets the oldest messages of any tenant beyond the total, and knows it did', () => {
    append(msg(T2, now - 100));
    for (let i = 0; i < 8; i++) append(msg(T1, now - 90 + i));
    expect(log.size).toBe(8);
    expect(ids(log.since(T2, { epoch: replica.epoch, seq: 0, time: now - 101 }, replica, now))).toBe('too-old');
  });

  it('forgets messages older than the window', () => {
    append(msg(T1, now - WINDOW - 10));
    append(msg(T1, now));
    expect(log.size).toBe(1);
  });

  it('resumes another replica’s id by time, with an overlap, once it was listening by then', () => {
    append(msg(T1, now - 5000));
    append(msg(T1, now - 1500));
    append(msg(T1, now - 500));
    expect(ids(log.since(T1, { epoch: 'otherep', seq: 12345, time: now - 1000 }, replica, now))).toEqual([2, 3]);
    expect(FOREIGN_OVERLAP_MS).toBeGreaterThanOrEqual(1000);
    // This replica started listening after that id: what happened before it cannot be known here.
    replica.listeningSince = now - 2000;
    expect(ids(log.since(T1, { epoch: 'otherep', seq: 1, time: now - 1000 }, replica, now))).toBe('unknown-id');
  });
});
