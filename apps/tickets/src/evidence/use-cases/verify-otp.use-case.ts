import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { EvidenceView, VerifyOtpDto } from '@app/shared/api/tickets/evidence.dto';
import { TicketRepository } from '../../tickets/ticket.repository';
import { TicketStatusService } from '../../tickets/ticket-status.service';
import { TicketsConfig } from '../../tickets.config';
import { EvidenceEntity } from '../evidence.entity';
import { toEvidenceView } from '../evidence.view';
import { otpMatches } from '../otp';
import { lockEvidence } from './review-evidence.use-case';

type Outcome = { ok: true; view: EvidenceView } | { ok: false; error: DomainError };

/**
 * Checks a customer's OTP. A wrong code counts an attempt and that count is committed even though the
 * request fails; at the limit the evidence is locked for good (a new OTP evidence must be requested).
 */
@Injectable()
export class VerifyOtpUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketRepository,
    private readonly ticketStatus: TicketStatusService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(TicketsConfig) private readonly config: TicketsConfig,
  ) {}

  async execute(ctx: RequestContext, dto: VerifyOtpDto): Promise<EvidenceView> {
    const outcome = await this.dataSource.transaction(async (tx): Promise<Outcome> => {
      const now = this.clock.now();
      const evidence = await lockEvidence(tx, ctx.tenantId, dto);
      if (evidence.type !== 'otp') throw DomainError.rule('this evidence is not an OTP', { reason: 'NOT_OTP' });
      if (evidence.otpLockedAt) return { ok: false, error: locked(this.config.OTP_MAX_ATTEMPTS) };
      if (evidence.status !== 'pending') throw DomainError.rule(`the OTP was already ${evidence.status}`, { reason: 'OTP_ALREADY_USED' });
      if (!evidence.otpExpiresAt || evidence.otpExpiresAt.getTime() <= now.getTime()) {
        return { ok: false, error: DomainError.rule('the OTP has expired; request a new one', { reason: 'OTP_EXPIRED' }) };
      }
      evidence.updatedAt = now;
      evidence.version += 1;
      if (!otpMatches(this.config.OTP_SECRET, evidence.id, dto.code, evidence.otpHash!)) {
        evidence.otpAttempts += 1;
        const left = this.config.OTP_MAX_ATTEMPTS - evidence.otpAttempts;
        if (left <= 0) evidence.otpLockedAt = now;
        await tx.save(EvidenceEntity, evidence);
        return {
          ok: false,
          error: left <= 0 ? locked(this.config.OTP_MAX_ATTEMPTS) : DomainError.rule('the OTP is wrong', { reason: 'OTP_INVALID', attemptsLeft: left }),
        };
      }
      const ticket = await this.tickets.lockOrFail(tx, ctx.tenantId, evidence.ticketId);
      evidence.status = 'uploaded';
      evidence.otpVerifiedAt = now;
      evidence.otpHash = null;
      await tx.save(EvidenceEntity, evidence);
      await this.outbox.append(tx, ctx, [
        {
          type: 'EVIDENCE_UPLOADED',
          aggregateId: evidence.id,
          aggregateVersion: evidence.version,
          payload: {
            evidenceId: evidence.id,
            ticketId: ticket.id,
            contractId: ticket.contractId,
            eventId: evidence.eventId ?? undefined,
            type: 'otp',
            status: evidence.status,
            label: evidence.label ?? undefined,
          },
        },
      ]);
      await this.ticketStatus.advanceIfAllowed(tx, ctx, ticket, 'evidence_uploaded', now);
      return { ok: true, view: toEvidenceView(evidence) };
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.view;
  }
}

function locked(max: number): DomainError {
  return DomainError.rule(`the OTP is locked after ${max} wrong attempts; request a new one`, { reason: 'OTP_LOCKED' });
}
