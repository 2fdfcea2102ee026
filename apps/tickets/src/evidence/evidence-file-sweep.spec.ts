import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { FileStore, StoredFile, uploadKey } from '@app/shared/storage/file-store';
import { InMemoryTransactions } from '@app/shared/testing/in-memory-transactions';
import { FixedClock } from '@app/shared/time/clock';
import type { DataSource } from 'typeorm';
import { TicketsConfig } from '../tickets.config';
import { EvidenceFileSweep, ORPHAN_AGE_MS } from './evidence-file-sweep';
import { EvidenceRepository } from './evidence.repository';

/** Uploads kept in memory with the time they were written. */
class InMemoryFileStore extends FileStore {
  readonly objects = new Map<string, Date>();
  constructor(private readonly clock: FixedClock) {
    super();
  }
  async put(tenantId: string): Promise<StoredFile> {
    const key = uploadKey(tenantId, randomUUID());
    this.objects.set(key, this.clock.now());
    return { key, size: 1, sha256: '0'.repeat(64) };
  }
  async describe(): Promise<null> {
    return null;
  }
  async read(): Promise<Readable> {
    throw new Error('not in these tests');
  }
  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }
  async *uploadsBefore(before: Date): AsyncIterable<string> {
    for (const [key, at] of this.objects) if (at < before) yield key;
  }
}

describe('the sweep of unreferenced uploads', () => {
  const TENANT = randomUUID();
  const OTHER = randomUUID();
  beforeAll(() => Logger.overrideLogger(false));

  function setup() {
    const clock = new FixedClock(new Date('2026-03-01T00:00:00Z'));
    const files = new InMemoryFileStore(clock);
    const referenced = new Set<string>();
    const asked: string[] = [];
    const evidence = {
      referencedKeys: async (_db: unknown, tenantId: string, keys: string[]) => {
        asked.push(tenantId);
        return new Set(keys.filter((k) => referenced.has(k) && k.startsWith(`${tenantId}/`)));
      },
    } as unknown as EvidenceRepository;
    const sweep = new EvidenceFileSweep(
      new InMemoryTransactions(),
      evidence,
      files,
      clock,
      { EVIDENCE_SWEEP_INTERVAL_MS: 3_600_000 } as TicketsConfig,
      {} as DataSource,
    );
    return { clock, files, referenced, asked, sweep };
  }

  it('removes uploads no evidence refers to once they are a day old, and keeps the rest', async () => {
    const { clock, files, referenced, sweep } = setup();
    const recorded = (await files.put(TENANT)).key;
    referenced.add(recorded);
    const orphan = (await files.put(TENANT)).key;
    const othersOrphan = (await files.put(OTHER)).key;
    clock.advance(ORPHAN_AGE_MS - 1000);
    const fresh = (await files.put(TENANT)).key;
    expect(await sweep.runOnce()).toBe(0);
    clock.advance(2000);
    expect(await sweep.runOnce()).toBe(2);
    expect([...files.objects.keys()].sort()).toEqual([recorded, fresh].sort());
    expect(files.objects.has(orphan) || files.objects.has(othersOrphan)).toBe(false);
  });

  it('asks about references tenant by tenant', async () => {
    const { clock, files, asked, sweep } = setup();
    await files.put(TENANT);
    await files.put(OTHER);
    clock.advance(ORPHAN_AGE_MS + 1);
    await sweep.runOnce();
    expect(asked.sort()).toEqual([TENANT, OTHER].sort());
  });
});
