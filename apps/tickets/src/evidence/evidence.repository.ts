import { Injectable } from '@nestjs/common';
import { cursorTime } from '@app/shared/contract/cursor';
import { Db, exec, many, maybeOne, selectList, snakeCase, sql } from '@app/shared/db/sql';
import { DomainError } from '@app/shared/errors/domain-error';

export interface EvidenceRow {
  id: string;
  tenantId: string;
  ticketId: string;
  eventId: string | null;
  type: string;
  status: string;
  label: string | null;
  description: string | null;
  /** Where the file is in the shared file store; null for evidence without a file. */
  storageKey: string | null;
  fileName: string | null;
  fileSize: number | null;
  contentType: string | null;
  sha256: string | null;
  formData: Record<string, unknown> | null;
  note: string | null;
  /** HMAC of the code; the code itself is never stored nor returned. */
  otpHash: string | null;
  otpChannel: string | null;
  otpSentTo: string | null;
  otpExpiresAt: Date | null;
  otpAttempts: number;
  otpLockedAt: Date | null;
  otpVerifiedAt: Date | null;
  rejectionReason: string | null;
  uploadedBy: string;
  uploadedByName: string;
  reviewedBy: string | null;
  reviewedByName: string | null;
  reviewedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ListedEvidence = EvidenceRow & { cursorAt: string };

const FIELDS = [
  'id',
  'tenantId',
  'ticketId',
  'eventId',
  'type',
  'status',
  'label',
  'description',
  'storageKey',
  'fileName',
  'fileSize',
  'contentType',
  'sha256',
  'formData',
  'note',
  'otpHash',
  'otpChannel',
  'otpSentTo',
  'otpExpiresAt',
  'otpAttempts',
  'otpLockedAt',
  'otpVerifiedAt',
  'rejectionReason',
  'uploadedBy',
  'uploadedByName',
  'reviewedBy',
  'reviewedByName',
  'reviewedAt',
  'version',
  'createdAt',
  'updatedAt',
] as const;
const COLUMNS = selectList('e', FIELDS, { fileSize: 'e.file_size::float8' });

/** Evidence recorded on tickets: files (by reference to the file store), form data, notes, OTPs. */
@Injectable()
export class EvidenceRepository {
  async insert(db: Db, e: EvidenceRow): Promise<void> {
    const columns = sql.raw(FIELDS.map(snakeCase).join(', '));
    const values = FIELDS.map((f) => (f === 'formData' ? sql.json(e.formData) : sql`${e[f]}`));
    await exec(db, sql`INSERT INTO evidence (${columns}) VALUES (${sql.join(values)})`);
  }

  async findOrFail(db: Db, tenantId: string, ticketId: string, id: string, lock = false): Promise<EvidenceRow> {
    const e = await maybeOne<EvidenceRow>(
      db,
      sql`SELECT ${COLUMNS} FROM evidence e WHERE e.tenant_id = ${tenantId} AND e.ticket_id = ${ticketId} AND e.id = ${id}${lock ? sql` FOR UPDATE` : sql.empty}`,
    );
    if (!e) throw DomainError.notFound('evidence', id);
    return e;
  }

  /** Locks the evidence row for the rest of the transaction. */
  lockOrFail(db: Db, tenantId: string, ticketId: string, id: string): Promise<EvidenceRow> {
    return this.findOrFail(db, tenantId, ticketId, id, true);
  }

  /** A ticket's evidence, oldest first (the order it was collected in), from `after` on: `limit + 1` rows for `pageOf`. */
  list(db: Db, tenantId: string, ticketId: string, page: { after?: { at: string; id: string }; limit: number }): Promise<ListedEvidence[]> {
    const after = page.after ? sql`AND (e.created_at, e.id) > (${page.after.at}::timestamptz, ${page.after.id}::uuid)` : sql.empty;
    return many<ListedEvidence>(
      db,
      sql`SELECT ${COLUMNS}, ${sql.raw(cursorTime('e.created_at'))} AS "cursorAt" FROM evidence e
          WHERE e.tenant_id = ${tenantId} AND e.ticket_id = ${ticketId} ${after} ORDER BY e.created_at, e.id LIMIT ${page.limit}`,
    );
  }

  /** All of a ticket's evidence, oldest first. */
  ofTicket(db: Db, tenantId: string, ticketId: string): Promise<EvidenceRow[]> {
    return many<EvidenceRow>(
      db,
      sql`SELECT ${COLUMNS} FROM evidence e WHERE e.tenant_id = ${tenantId} AND e.ticket_id = ${ticketId} ORDER BY e.created_at, e.id`,
    );
  }

  /** Evidence that counts for completion (uploaded or verified), oldest first. */
  counting(db: Db, tenantId: string, ticketId: string): Promise<Array<{ id: string; eventId: string | null }>> {
    return many(
      db,
      sql`SELECT id, event_id AS "eventId" FROM evidence WHERE tenant_id = ${tenantId} AND ticket_id = ${ticketId} AND status IN ('uploaded', 'verified')
          ORDER BY created_at, id`,
    );
  }

  /** Writes what review and OTP verification change, with the next version. */
  async update(db: Db, e: EvidenceRow): Promise<void> {
    await exec(
      db,
      sql`UPDATE evidence SET status = ${e.status}, rejection_reason = ${e.rejectionReason}, reviewed_by = ${e.reviewedBy}::uuid,
            reviewed_by_name = ${e.reviewedByName}, reviewed_at = ${e.reviewedAt}::timestamptz, otp_hash = ${e.otpHash}, otp_attempts = ${e.otpAttempts},
            otp_locked_at = ${e.otpLockedAt}::timestamptz, otp_verified_at = ${e.otpVerifiedAt}::timestamptz, version = ${e.version}, updated_at = ${e.updatedAt}
          WHERE tenant_id = ${e.tenantId} AND id = ${e.id}`,
    );
  }

  /** Which of these file store keys (all of one tenant) evidence refers to. */
  async referencedKeys(db: Db, tenantId: string, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await many<{ storageKey: string }>(
      db,
      sql`SELECT storage_key AS "storageKey" FROM evidence WHERE tenant_id = ${tenantId} AND storage_key = ANY(${sql.array(keys, 'text')})`,
    );
    return new Set(rows.map((r) => r.storageKey));
  }
}
