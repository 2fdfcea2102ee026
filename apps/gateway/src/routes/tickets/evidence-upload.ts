import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { EVIDENCE_CONTENT_TYPES, EVIDENCE_MAX_FILE_BYTES, EvidenceFileDto } from '@app/shared/api/tickets/evidence.dto';

export interface EvidenceUpload {
  fields: Record<string, unknown>;
  file?: EvidenceFileDto;
}

/** Multipart fields that carry JSON (objects cannot be sent as plain form fields). */
const JSON_FIELDS = ['formData', 'otp'];

/**
 * Reads a multipart evidence upload: at most one file, streamed and counted (more than `maxBytes` → 413
 * before the rest is read), hashed with sha256, and refused with 415 when its content type is not one the
 * evidence type accepts. Nothing is stored here: the bytes go to the tickets service in the RPC body
 * (base64), which stores them through its storage port.
 */
export async function readEvidenceUpload(req: FastifyRequest, maxBytes = EVIDENCE_MAX_FILE_BYTES): Promise<EvidenceUpload> {
  const fields: Record<string, unknown> = {};
  let file: { fileName: string; contentType: string; bytes: Buffer; sha256: string } | undefined;
  try {
    for await (const part of (req as any).parts({ limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024 } })) {
      if (part.type === 'file') {
        const hash = createHash('sha256');
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of part.file as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) throw tooLarge(maxBytes);
          hash.update(chunk);
          chunks.push(chunk);
        }
        if (part.file.truncated) throw tooLarge(maxBytes);
        file = { fileName: part.filename || 'upload', contentType: String(part.mimetype || 'application/octet-stream').toLowerCase(), bytes: Buffer.concat(chunks), sha256: hash.digest('hex') };
      } else {
        fields[part.fieldname] = JSON_FIELDS.includes(part.fieldname) ? parseJsonField(part.fieldname, part.value) : part.value;
      }
    }
  } catch (err) {
    const code = (err as { code?: string })?.code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    if (code === 'FST_FILES_LIMIT') throw DomainError.validation({ file: ['one file per evidence'] });
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw DomainError.validation({ fields: ['too many form fields'] });
    throw err;
  }
  if (!file) return { fields };
  const type = typeof fields.type === 'string' ? fields.type : '';
  const allowed = EVIDENCE_CONTENT_TYPES[type];
  if (allowed && !allowed.includes(file.contentType)) {
    throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `${file.contentType} is not accepted for ${type} evidence`, { allowed });
  }
  if (file.bytes.length === 0) throw DomainError.validation({ file: ['the file is empty'] });
  return {
    fields,
    file: { fileName: file.fileName, contentType: file.contentType, size: file.bytes.length, sha256: file.sha256, contentBase64: file.bytes.toString('base64') },
  };
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, `evidence files are limited to ${maxBytes} bytes`, { maxBytes });
}

function parseJsonField(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw DomainError.validation({ [name]: [`${name} must be a JSON object`] });
  }
}
