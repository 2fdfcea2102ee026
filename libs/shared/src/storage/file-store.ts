import type { Readable } from 'node:stream';

/**
 * Where uploaded files live (evidence photos, documents, signatures): the gateway writes an upload here as
 * it streams in, only a reference travels over RPC, the owning service checks the object before recording
 * it, and a download is streamed from here by the gateway. One port, one implementation for every process
 * (`LocalFileStore`, a folder all of them are configured with: `EVIDENCE_STORAGE_DIR`); an object store
 * (S3-compatible) would implement the same methods.
 *
 * Keys are opaque to callers and start with the tenant (`<tenantId>/uploads/<uuid>` for uploads; files
 * stored before uploads went through the gateway keep `<tenantId>/<ticketId>/<evidenceId>`).
 */
export abstract class FileStore {
  /**
   * Streams `bytes` into a new object of the tenant under a fresh key, counting and hashing on the way;
   * more than `maxBytes` → FileTooLargeError and nothing is kept.
   */
  abstract put(tenantId: string, bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, limits: { maxBytes: number }): Promise<StoredFile>;
  /** The object's size and sha256 as they are in the store now (read back), or null when it does not exist. */
  abstract describe(key: string): Promise<{ size: number; sha256: string } | null>;
  /** The object's bytes as a stream; rejects when it does not exist (before any byte is sent). */
  abstract read(key: string): Promise<Readable>;
  /** Removes the object; nothing happens when it is already gone. */
  abstract delete(key: string): Promise<void>;
  /** Keys of uploads last written before `before` (leftovers of interrupted writes included), for the sweep of unreferenced ones. */
  abstract uploadsBefore(before: Date): AsyncIterable<string>;
}

/** What `put` stored: the reference that travels instead of the bytes. */
export interface StoredFile {
  key: string;
  size: number;
  sha256: string;
}

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
  }
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** The shape of an upload's key (`<tenantId>/uploads/<uuid>`), as a DTO checks it. */
export const UPLOAD_KEY_PATTERN = new RegExp(`^${UUID}/uploads/${UUID}$`);

export function uploadKey(tenantId: string, id: string): string {
  if (!new RegExp(`^${UUID}$`).test(tenantId)) throw new Error(`an upload's tenant must be a uuid, not ${tenantId}`);
  return `${tenantId}/uploads/${id}`;
}

/** Whether `key` names an object of the tenant (every key starts with its tenant). */
export function isKeyOfTenant(key: string, tenantId: string): boolean {
  return key.startsWith(`${tenantId}/`) && !key.includes('..');
}
