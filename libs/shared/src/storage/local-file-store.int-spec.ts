import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTooLargeError, isKeyOfTenant } from './file-store';
import { LocalFileStore } from './local-file-store';

/** The local file store on a real folder: what the gateway and the tickets service share. */
describe('LocalFileStore', () => {
  let dir: string;
  let store: LocalFileStore;
  const tenant = randomUUID();
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  async function* chunks(...parts: string[]) {
    for (const p of parts) yield Buffer.from(p);
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cn-file-store-'));
    store = new LocalFileStore(dir);
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('stores a stream under a fresh key of the tenant, counted and hashed, and reads it back', async () => {
    const stored = await store.put(tenant, chunks('hello ', 'world'), { maxBytes: 100 });
    expect(stored).toEqual({ key: expect.stringMatching(new RegExp(`^${tenant}/uploads/`)), size: 11, sha256: sha(Buffer.from('hello world')) });
    expect(isKeyOfTenant(stored.key, tenant)).toBe(true);
    expect(await store.describe(stored.key)).toEqual({ size: 11, sha256: stored.sha256 });
    const read: Buffer[] = [];
    for await (const c of await store.read(stored.key)) read.push(c as Buffer);
    expect(Buffer.concat(read).toString()).toBe('hello world');
    expect((await store.put(tenant, chunks('hello world'), { maxBytes: 100 })).key).not.toBe(stored.key);
  });

  it('refuses more than the limit and keeps nothing, not even a partial file', async () => {
    await expect(store.put(tenant, chunks('12345', '67890', 'x'), { maxBytes: 10 })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(await readdir(join(dir, tenant, 'uploads'))).toEqual([]);
  });

  it('answers null for an object that is not there, refuses to read one, and deletes quietly', async () => {
    const key = `${tenant}/uploads/${randomUUID()}`;
    expect(await store.describe(key)).toBeNull();
    await expect(store.read(key)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.delete(key)).resolves.toBeUndefined();
    await expect(store.describe('../outside')).rejects.toThrow(/escapes/);
  });

  it('lists uploads written before a time (for the sweep), leftovers of interrupted writes included', async () => {
    const old = await store.put(tenant, chunks('old'), { maxBytes: 10 });
    const recent = await store.put(tenant, chunks('new'), { maxBytes: 10 });
    const dayAgo = new Date(Date.now() - 2 * 86400_000);
    await utimes(join(dir, old.key), dayAgo, dayAgo);
    const listed: string[] = [];
    for await (const key of store.uploadsBefore(new Date(Date.now() - 86400_000))) listed.push(key);
    expect(listed).toEqual([old.key]);
    expect(listed).not.toContain(recent.key);
  });
});
