import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore, FileTooLargeError, StoredFile, uploadKey } from './file-store';

/**
 * FileStore on a local folder (`EVIDENCE_STORAGE_DIR`), shared by the processes that use it (the gateway
 * writes uploads, the tickets service checks and references them, the gateway streams downloads). An upload
 * is written to `<key>.partial` and renamed once complete, so a key never names half a file; a crash leaves
 * a `.partial` that the sweep removes with the other unreferenced uploads.
 */
export class LocalFileStore extends FileStore {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  async put(tenantId: string, bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, limits: { maxBytes: number }): Promise<StoredFile> {
    const key = uploadKey(tenantId, randomUUID());
    const path = this.pathOf(key);
    const partial = `${path}.partial`;
    await mkdir(dirname(path), { recursive: true });
    const file = await open(partial, 'wx');
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of bytes) {
        size += chunk.length;
        if (size > limits.maxBytes) throw new FileTooLargeError(limits.maxBytes);
        hash.update(chunk);
        await file.write(chunk);
      }
      await file.close();
      await rename(partial, path);
    } catch (err) {
      await file.close().catch(() => undefined);
      await rm(partial, { force: true });
      throw err;
    }
    return { key, size, sha256: hash.digest('hex') };
  }

  async describe(key: string): Promise<{ size: number; sha256: string } | null> {
    const path = this.pathOf(key);
    const info = await stat(path).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (!info?.isFile()) return null;
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(path)) {
      size += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
    }
    return { size, sha256: hash.digest('hex') };
  }

  async read(key: string): Promise<Readable> {
    const file = await open(this.pathOf(key), 'r');
    return file.createReadStream();
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *uploadsBefore(before: Date): AsyncIterable<string> {
    for (const tenant of await entries(this.root)) {
      if (!tenant.isDirectory()) continue;
      for (const upload of await entries(join(this.root, tenant.name, 'uploads'))) {
        const key = `${tenant.name}/uploads/${upload.name}`;
        const info = await stat(this.pathOf(key)).catch(() => null);
        if (info?.isFile() && info.mtime.getTime() < before.getTime()) yield key;
      }
    }
  }

  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`storage key ${key} escapes the storage folder`);
    return path;
  }
}

async function entries(dir: string) {
  return readdir(dir, { withFileTypes: true }).catch(() => []);
}
