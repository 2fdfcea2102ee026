import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { EVIDENCE_CONTENT_TYPES, EvidenceView, RecordEvidenceDto } from '@app/shared/api/tickets/evidence.dto';
import { FILE_EVIDENCE_TYPES } from '@app/shared/api/tickets/tickets.vocabulary';
import { isClosedStatus } from '../../common/status-flows';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { TicketRepository } from '../../tickets/ticket.repository';
import { TicketStatusService } from '../../tickets/ticket-status.service';
import { TicketsConfig } from '../../tickets.config';
import { EvidenceEntity } from '../evidence.entity';
import { toEvidenceView } from '../evidence.view';
import { generateOtp, hashOtp } from '../otp';
import { EvidenceStorage } from '../storage/evidence-storage';

/**
 * Records a piece of evidence on an open ticket. What a file may be for its evidence type is this service's
 * rule (415); its size and sha256 are checked again against the bytes received, because the RPC queue is an
 * entry point too, not only the gateway that measured them. An OTP is generated, kept only as an HMAC,
 * and sent to the customer through a JTD request, in which the outbox seals it (the catalog marks
 * `variables.otp` sensitive) so that only the dispatcher's provider call sees it; the evidence stays
 * pending until the code is verified.
 */
@Injectable()
export class RecordEvidenceUseCase {
  private readonly logger = new Logger(RecordEvidenceUseCase.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketRepository,
    private readonly ticketStatus: TicketStatusService,
    private readonly readModel: ReadModelRepository,
    private readonly storage: EvidenceStorage,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(TicketsConfig) private readonly config: TicketsConfig,
  ) {}

  async execute(ctx: RequestContext, dto: RecordEvidenceDto): Promise<EvidenceView> {
    const bytes = this.checkInput(dto);
    const id = randomUUID();
    const storageKey = bytes ? `${ctx.tenantId}/${dto.id}/${id}` : null;
    let stored = false;
    try {
      return await this.dataSource.transaction(async (tx) => {
        const now = this.clock.now();
        const ticket = await this.tickets.lockOrFail(tx, ctx.tenantId, dto.id);
        const machine = await this.ticketStatus.machine(tx, ctx.tenantId);
        if (isClosedStatus(machine, ticket.status)) {
          throw DomainError.rule(`ticket ${ticket.ticketNumber} is ${ticket.status}; it takes no more evidence`, { reason: 'TICKET_CLOSED' });
        }
        if (dto.eventId && !(await this.tickets.eventIdsOf(tx, ticket.id)).includes(dto.eventId)) {
          await this.readModel.eventOrFail(tx, ctx.tenantId, dto.eventId);
          throw DomainError.rule(`event ${dto.eventId} is not on ticket ${ticket.ticketNumber}`, { reason: 'NOT_ON_TICKET' });
        }
        const evidence = tx.create(EvidenceEntity, {
          id,
          tenantId: ctx.tenantId,
          ticketId: ticket.id,
          eventId: dto.eventId ?? null,
          type: dto.type,
          status: dto.type === 'otp' ? 'pending' : 'uploaded',
          label: dto.label ?? null,
          description: dto.description ?? null,
          storageKey,
          fileName: dto.file?.fileName ?? null,
          fileSize: bytes?.length ?? null,
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
          reviewedBy: null,
          reviewedByName: null,
          reviewedAt: null,
          uploadedBy: ctx.actor.id,
          uploadedByName: ctx.actor.name,
          version: 1,
          createdAt: now,
          updatedAt: now,
        });

        if (dto.type === 'otp') {
          const contract = await this.readModel.findContract(tx, ctx.tenantId, ticket.contractId);
          const phone = dto.otp?.phone ?? contract?.customer.phone;
          if (!phone) {
            throw DomainError.rule('no phone number to send the OTP to: give otp.phone or record one on the contract customer', { reason: 'NO_RECIPIENT' });
          }
          const code = generateOtp();
          evidence.otpHash = hashOtp(this.config.OTP_SECRET, id, code);
          evidence.otpChannel = dto.otp?.channel ?? 'sms';
          evidence.otpSentTo = phone;
          evidence.otpExpiresAt = new Date(now.getTime() + this.config.OTP_TTL_SECONDS * 1000);
          await tx.save(EvidenceEntity, evidence);
          await this.outbox.append(tx, ctx, [
            {
              type: 'JTD_REQUESTED',
              aggregateId: id,
              payload: {
                requestId: `otp:${id}:1`,
                eventType: 'notification',
                sourceType: 'otp_verification',
                sourceId: id,
                channels: [evidence.otpChannel],
                recipient: { type: 'customer', name: contract?.customer.name ?? 'Customer', phone },
                variables: { otp: code, ticket_number: ticket.ticketNumber },
                priority: 1,
              },
            },
          ]);
        } else {
          if (bytes && storageKey) {
            await this.storage.put(storageKey, bytes, dto.file!.contentType);
            stored = true;
          }
          await tx.save(EvidenceEntity, evidence);
          await this.outbox.append(tx, ctx, [
            {
              type: 'EVIDENCE_UPLOADED',
              aggregateId: id,
              aggregateVersion: 1,
              payload: {
                evidenceId: id,
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
          await this.ticketStatus.advanceIfAllowed(tx, ctx, ticket, 'evidence_uploaded', now);
        }
        return toEvidenceView(evidence);
      });
    } catch (err) {
      if (stored && storageKey) await this.storage.delete(storageKey).catch((e) => this.logger.warn(`could not remove orphan evidence file ${storageKey}: ${String(e)}`));
      throw err;
    }
  }

  /** Type-specific rules; returns the decoded file for file evidence. */
  private checkInput(dto: RecordEvidenceDto): Buffer | null {
    const isFileType = FILE_EVIDENCE_TYPES.includes(dto.type as never);
    const errors: Record<string, string[]> = {};
    if (isFileType && !dto.file) errors.file = [`${dto.type} evidence needs a file`];
    if (!isFileType && dto.file) errors.file = [`${dto.type} evidence takes no file`];
    if (dto.type === 'form_data' && !dto.formData) errors.formData = ['form_data evidence needs formData'];
    if (dto.type === 'note' && !dto.note?.trim()) errors.note = ['note evidence needs a note'];
    if (dto.type !== 'otp' && dto.otp) errors.otp = ['otp is only for otp evidence'];
    if (Object.keys(errors).length > 0) throw DomainError.validation(errors);
    if (!dto.file) return null;

    const allowed = EVIDENCE_CONTENT_TYPES[dto.type] ?? [];
    if (!allowed.includes(dto.file.contentType)) {
      throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `${dto.file.contentType} is not accepted for ${dto.type} evidence`, { allowed });
    }
    if (dto.file.size > this.config.EVIDENCE_MAX_FILE_BYTES) {
      throw new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, `files are limited to ${this.config.EVIDENCE_MAX_FILE_BYTES} bytes`, { maxBytes: this.config.EVIDENCE_MAX_FILE_BYTES });
    }
    const bytes = Buffer.from(dto.file.contentBase64, 'base64');
    if (bytes.length > this.config.EVIDENCE_MAX_FILE_BYTES) {
      throw new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, `files are limited to ${this.config.EVIDENCE_MAX_FILE_BYTES} bytes`, { maxBytes: this.config.EVIDENCE_MAX_FILE_BYTES });
    }
    if (bytes.length !== dto.file.size || createHash('sha256').update(bytes).digest('hex') !== dto.file.sha256) {
      throw DomainError.validation({ file: ['the file bytes do not match its size and sha256'] });
    }
    return bytes;
  }
}
