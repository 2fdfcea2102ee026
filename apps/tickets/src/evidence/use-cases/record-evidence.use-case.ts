import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVIDENCE_CONTENT_TYPES, EvidenceView, RecordEvidenceDto } from '@app/shared/api/tickets/evidence.dto';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { FileStore, isKeyOfTenant } from '@app/shared/storage/file-store';
import { Clock } from '@app/shared/time/clock';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { allowedEvidenceType, EvidenceTypeDef, isBuiltInEvidenceType } from '../../settings/evidence-types';
import { FieldSettingsRepository } from '../../settings/field-settings.repository';
import { isClosedStatus } from '../../settings/ticket-flows';
import { TicketsConfig } from '../../tickets.config';
import { TicketRepository, TicketRow } from '../../tickets/ticket.repository';
import { TicketStatusMover } from '../../tickets/ticket-status-mover';
import { EvidenceRepository, EvidenceRow } from '../evidence.repository';
import { toEvidenceView } from '../evidence.view';
import { generateOtp, hashOtp } from '../otp';

/**
 * Records a piece of evidence on an open ticket. A file arrives as a reference to the shared file store
 * (the gateway stored it); what it may be for its evidence type is this service's rule (415), and the
 * stored object is read back and must match the size and sha256 the reference gives, because the RPC queue
 * is an entry point too, not only the gateway that measured them. An OTP is generated, kept only as an
 * HMAC, and sent to the customer through a JTD request, in which the outbox seals it (the catalog marks
 * `variables.otp` sensitive) so that only the dispatcher's provider call sees it; the evidence stays
 * pending until the code is verified.
 */
@Injectable()
export class RecordEvidenceUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tickets: TicketRepository,
    private readonly evidence: EvidenceRepository,
    private readonly ticketMover: TicketStatusMover,
    private readonly readModel: ReadModelRepository,
    private readonly settings: FieldSettingsRepository,
    private readonly files: FileStore,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(TicketsConfig) private readonly config: TicketsConfig,
  ) {}

  async execute(ctx: RequestContext, dto: RecordEvidenceDto): Promise<EvidenceView> {
    // The tenant's list decides which types it takes (422 naming the allowed ones); a disabled type takes no new evidence.
    const type = allowedEvidenceType((await this.settings.load(this.db.reader, ctx.tenantId)).evidenceTypes, dto.type);
    this.checkInput(dto, type);
    if (dto.file) await this.checkStoredFile(ctx, dto.file);
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      const ticket = await this.tickets.lockOrFail(tx, ctx.tenantId, dto.id);
      if (isClosedStatus(await this.ticketMover.machine(tx, ctx.tenantId), ticket.status)) {
        throw DomainError.rule(`ticket ${ticket.ticketNumber} is ${ticket.status}; it takes no more evidence`, { reason: 'TICKET_CLOSED' });
      }
      if (dto.eventId && !(await this.tickets.eventIdsOf(tx, ctx.tenantId, ticket.id)).includes(dto.eventId)) {
        await this.readModel.eventOrFail(tx, ctx.tenantId, dto.eventId);
        throw DomainError.rule(`event ${dto.eventId} is not on ticket ${ticket.ticketNumber}`, { reason: 'NOT_ON_TICKET' });
      }
      const evidence = newEvidence(ctx, ticket, dto, now);
      if (dto.type === 'otp') return toEvidenceView(await this.requestOtp(tx, ctx, ticket, evidence, dto));
      await this.evidence.insert(tx, evidence);
      await this.outbox.append(tx, ctx, [
        {
          type: 'EVIDENCE_UPLOADED',
          aggregateId: evidence.id,
          aggregateVersion: 1,
          payload: {
            evidenceId: evidence.id,
            ticketId: ticket.id,
            contractId: ticket.contractId,
            eventId: dto.eventId,
            type: dto.type,
            status: evidence.status,
            label: dto.label,
            sha256: evidence.sha256 ?? undefined,
          },
        },
      ]);
      await this.ticketMover.advance(tx, ctx, ticket, 'evidence_uploaded');
      return toEvidenceView(evidence);
    });
  }

  /** A code to the customer's phone, kept only as an HMAC; the evidence is pending until it is verified. */
  private async requestOtp(tx: Db, ctx: RequestContext, ticket: TicketRow, evidence: EvidenceRow, dto: RecordEvidenceDto): Promise<EvidenceRow> {
    const contract = await this.readModel.findContract(tx, ctx.tenantId, ticket.contractId);
    const phone = dto.otp?.phone ?? contract?.customer.phone;
    if (!phone) throw DomainError.rule('no phone number to send the OTP to: give otp.phone or record one on the contract customer', { reason: 'NO_RECIPIENT' });
    const code = generateOtp();
    const pending: EvidenceRow = {
      ...evidence,
      otpHash: hashOtp(this.config.OTP_SECRET, evidence.id, code),
      otpChannel: dto.otp?.channel ?? 'sms',
      otpSentTo: phone,
      otpExpiresAt: new Date(evidence.createdAt.getTime() + this.config.OTP_TTL_SECONDS * 1000),
    };
    await this.evidence.insert(tx, pending);
    await this.outbox.append(tx, ctx, [
      {
        type: 'JTD_REQUESTED',
        aggregateId: evidence.id,
        payload: {
          requestId: `otp:${evidence.id}:1`,
          eventType: 'notification',
          sourceType: 'otp_verification',
          sourceId: evidence.id,
          channels: [pending.otpChannel],
          recipient: { type: 'customer', name: contract?.customer.name ?? 'Customer', phone },
          variables: { otp: code, ticket_number: ticket.ticketNumber },
          priority: 1,
        },
      },
    ]);
    return pending;
  }

  /** Type-specific rules, and what a file may be (type 415, size 413). */
  private checkInput(dto: RecordEvidenceDto, type: EvidenceTypeDef): void {
    const isFileType = type.takesFile;
    const errors: Record<string, string[]> = {};
    if (isFileType && !dto.file) errors.file = [`${dto.type} evidence needs a file`];
    if (!isFileType && dto.file) errors.file = [`${dto.type} evidence takes no file`];
    if (dto.type === 'form_data' && !dto.formData) errors.formData = ['form_data evidence needs formData'];
    if (dto.type === 'note' && !dto.note?.trim()) errors.note = ['note evidence needs a note'];
    if (dto.type !== 'otp' && dto.otp) errors.otp = ['otp is only for otp evidence'];
    if (!isBuiltInEvidenceType(dto.type) && !isFileType && !dto.note?.trim() && !dto.formData) {
      errors.note = [`${dto.type} evidence needs a note or formData`];
    }
    if (Object.keys(errors).length > 0) throw DomainError.validation(errors);
    if (!dto.file) return;
    // A tenant's own file type takes what photos and documents take.
    const allowed = EVIDENCE_CONTENT_TYPES[dto.type] ?? [...new Set([...EVIDENCE_CONTENT_TYPES.photo, ...EVIDENCE_CONTENT_TYPES.document])];
    if (!allowed.includes(dto.file.contentType)) {
      throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `${dto.file.contentType} is not accepted for ${dto.type} evidence`, { allowed });
    }
    if (dto.file.size > this.config.EVIDENCE_MAX_FILE_BYTES) {
      throw new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, `files are limited to ${this.config.EVIDENCE_MAX_FILE_BYTES} bytes`, {
        maxBytes: this.config.EVIDENCE_MAX_FILE_BYTES,
      });
    }
  }

  /** The stored object is the tenant's and is what the reference says (read back: size and sha256). */
  private async checkStoredFile(ctx: RequestContext, file: NonNullable<RecordEvidenceDto['file']>): Promise<void> {
    const stored = isKeyOfTenant(file.storageKey, ctx.tenantId) ? await this.files.describe(file.storageKey) : null;
    if (!stored) throw DomainError.validation({ file: ['the file is not in the file store; upload it again'] });
    if (stored.size !== file.size || stored.sha256 !== file.sha256) throw DomainError.validation({ file: ['the file bytes do not match its size and sha256'] });
  }
}

function newEvidence(ctx: RequestContext, ticket: TicketRow, dto: RecordEvidenceDto, now: Date): EvidenceRow {
  return {
    id: randomUUID(),
    tenantId: ctx.tenantId,
    ticketId: ticket.id,
    eventId: dto.eventId ?? null,
    type: dto.type,
    status: dto.type === 'otp' ? 'pending' : 'uploaded',
    label: dto.label ?? null,
    description: dto.description ?? null,
    storageKey: dto.file?.storageKey ?? null,
    fileName: dto.file?.fileName ?? null,
    fileSize: dto.file?.size ?? null,
    contentType: dto.file?.contentType ?? null,
    sha256: dto.file?.sha256 ?? null,
    formData: dto.formData ?? null,
    note: dto.note ?? null,
    otpHash: null,
    otpChannel: null,
    otpSentTo: null,
    otpExpiresAt: null,
    otpAttempts: 0,
    otpLockedAt: null,
    otpVerifiedAt: null,
    rejectionReason: null,
    uploadedBy: ctx.actor.id,
    uploadedByName: ctx.actor.name,
    reviewedBy: null,
    reviewedByName: null,
    reviewedAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}
