import type { FastifyRequest } from 'fastify';
import { Operation, pathParameters, STREAM_TOKEN_PARAMETER } from '@app/shared/contract/operation';
import { DomainError, ErrorCode, FieldErrors } from '@app/shared/errors/domain-error';
import { FileStore, FileTooLargeError } from '@app/shared/storage/file-store';

/** A file that came in a multipart body, as it travels to the service: where the gateway stored it, and what it is. */
export interface UploadedFile {
  storageKey: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface UploadLimits {
  maxBytes: number;
  /** Fields whose multipart value is JSON text (objects cannot be plain form fields). */
  jsonFields: ReadonlySet<string>;
  /** Where an uploaded file is written as it streams in (the store the services read). */
  store: FileStore;
}

/**
 * The operation's input from an HTTP request, by the one rule of HttpBinding: path parameters from the
 * path, query fields from the query string, the rest from the body (or the whole body into `bodyField`). A
 * key that appears in two places, or a query key the operation does not read from the query, is refused
 * here; unknown body fields are refused by the input's validation.
 */
export async function readHttpInput(op: Operation, req: FastifyRequest, upload: UploadLimits, tenantId?: string): Promise<Record<string, unknown>> {
  const http = op.http!;
  const input: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  const params = (req.params ?? {}) as Record<string, string>;
  for (const name of pathParameters(http.path)) input[name] = params[name];

  const readsQuery = http.method === 'GET' || http.method === 'DELETE';
  for (const [key, value] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    // A stream's token in the query is the caller's credential (read by the Authenticator), not input.
    if (http.stream && key === STREAM_TOKEN_PARAMETER) continue;
    if (key in input) errors[key] = [`${key} is a path parameter, not a query parameter`];
    else if (readsQuery || http.query?.includes(key)) input[key] = value;
    else errors[key] = [`${key} is not a query parameter of this operation`];
  }
  if (readsQuery) return finish(input, errors);

  if (http.upload && req.isMultipart()) {
    const { fields, file } = await readMultipart(req, http.upload.field, upload, tenantId);
    try {
      return bodyInput(op, input, errors, file ? { ...fields, [http.upload.field]: file } : fields);
    } catch (err) {
      // The request is refused before anyone saw its file.
      if (file) await upload.store.delete(file.storageKey).catch(() => undefined);
      throw err;
    }
  }
  const body: unknown = req.body;
  if (http.upload && body && typeof body === 'object' && http.upload.field in (body as object)) {
    errors[http.upload.field] = [`${http.upload.field} is sent as a multipart/form-data part, not in JSON`];
  }
  return bodyInput(op, input, errors, body);
}

/** The body's fields join the input (or the whole body goes into `bodyField`). */
function bodyInput(op: Operation, input: Record<string, unknown>, errors: FieldErrors, body: unknown): Record<string, unknown> {
  const http = op.http!;
  if (http.bodyField) {
    input[http.bodyField] = body;
    return finish(input, errors);
  }
  if (body === undefined || body === null) return finish(input, errors);
  if (typeof body !== 'object' || Array.isArray(body)) {
    errors.body = ['the body must be a JSON object'];
    return finish(input, errors);
  }
  for (const [key, value] of Object.entries(body)) {
    if (key in input) errors[key] = [`${key} is given in the ${pathParameters(http.path).includes(key) ? 'path' : 'query'}; it cannot be in the body too`];
    else input[key] = value;
  }
  return finish(input, errors);
}

function finish(input: Record<string, unknown>, errors: FieldErrors): Record<string, unknown> {
  if (Object.keys(errors).length > 0) throw DomainError.validation(errors);
  return input;
}

/**
 * Reads a multipart body: its fields, and at most one file in `fileField`, streamed into the file store of
 * the caller's tenant, counted (more than `maxBytes` → 413, nothing kept) and hashed with sha256. What the
 * file may be is the service's rule. When the body turns out to be unusable after the file was stored, the
 * file is removed before the error is answered.
 */
async function readMultipart(
  req: FastifyRequest,
  fileField: string,
  limits: UploadLimits,
  tenantId: string | undefined,
): Promise<{ fields: Record<string, unknown>; file?: UploadedFile }> {
  const fields: Record<string, unknown> = {};
  let file: UploadedFile | undefined;
  try {
    for await (const part of req.parts({ limits: { fileSize: limits.maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== fileField) throw DomainError.validation({ [part.fieldname]: [`the file goes in the part named ${fileField}`] });
        if (!tenantId) throw new Error('an upload needs an authenticated caller: its file is stored under the caller’s tenant');
        const stored = await limits.store.put(tenantId, part.file, { maxBytes: limits.maxBytes });
        file = {
          storageKey: stored.key,
          fileName: part.filename || 'upload',
          contentType: String(part.mimetype || 'application/octet-stream').toLowerCase(),
          size: stored.size,
          sha256: stored.sha256,
        };
        if (part.file.truncated) throw tooLarge(limits.maxBytes);
        if (stored.size === 0) throw DomainError.validation({ [fileField]: ['the file is empty'] });
      } else {
        fields[part.fieldname] = limits.jsonFields.has(part.fieldname) ? parseJsonField(part.fieldname, part.value) : part.value;
      }
    }
  } catch (err) {
    if (file) await limits.store.delete(file.storageKey).catch(() => undefined);
    const code = (err as { code?: string })?.code;
    if (err instanceof FileTooLargeError || code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(limits.maxBytes);
    if (code === 'FST_FILES_LIMIT') throw DomainError.validation({ [fileField]: ['one file per request'] });
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw DomainError.validation({ body: ['too many form fields'] });
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' || code === 'FST_PROTO_VIOLATION')
      throw DomainError.validation({ body: ['the multipart body is malformed'] });
    throw err;
  }
  return { fields, file };
}

/** The file an upload operation's input carries (after readHttpInput stored it), if any. */
export function uploadedFileOf(op: Operation, input: Record<string, unknown>): UploadedFile | undefined {
  const value = op.http?.upload ? input[op.http.upload.field] : undefined;
  return value && typeof value === 'object' && typeof (value as UploadedFile).storageKey === 'string' ? (value as UploadedFile) : undefined;
}

/**
 * The input as it identifies a request for Idempotency-Key: an uploaded file by its name, type, size and
 * sha256, not by where this request happened to store it (a retry stores its copy under another key).
 */
export function identityOf(op: Operation, input: object): object {
  const file = uploadedFileOf(op, input as Record<string, unknown>);
  if (!file) return input;
  const { storageKey: _where, ...what } = file;
  return { ...input, [op.http!.upload!.field]: what };
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, `files are limited to ${maxBytes} bytes`, { maxBytes });
}

function parseJsonField(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw DomainError.validation({ [name]: [`${name} must be JSON text in a multipart body`] });
  }
}
