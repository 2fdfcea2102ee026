/**
 * Where evidence files live. Keys are opaque to callers (`<tenant>/<ticket>/<evidence>`); an S3-compatible
 * store implements the same three methods with PutObject/GetObject/DeleteObject.
 */
export abstract class EvidenceStorage {
  abstract put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  abstract get(key: string): Promise<Buffer>;
  abstract delete(key: string): Promise<void>;
}
