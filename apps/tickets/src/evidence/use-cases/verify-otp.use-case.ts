import { Inject, Injectable } from '@nestjs/common';
import { EvidenceView, VerifyOtpDto } from '@app/shared/api/tickets/evidence.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { TicketsConfig } from '../../tickets.config';
import { TicketRepository } from '../../tickets/ticket.repository';
import { TicketStatusMover } from '../../tickets/ticket-status-mover';
import { EvidenceRepository } from '../evidence.repository';
import { toEvidenceView } from '../evidence.view';
import { otpMatches } from '../otp';

type Outcome = { ok: true; view: EvidenceView } | { ok: false; error: DomainError };

/**
 * Checks a customer's OTP. A wrong code counts an attempt and that count is committed even though the
 * request fails; at the limit the evidence is locked for good (a new OTP evidence must be requested).
 */
@Injectable()
export class VerifyOtpUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tickets: TicketRepository,
    private readonly evidence: EvidenceRepository,
    private readonly ticketMover: TicketStatusMover,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(TicketsConfig) private readonly config: TicketsConfig,
  ) {}

  async execute(ctx: RequestContext, dto: VerifyOtpDto): Promise<EvidenceView> {
    const outcome = await this.db.run(async (tx): Promise<Outcome> => {
      const now = this.clock.now();
      const e = await this.evidence.lockOrFail(tx, ctx.tenantId, dto.id, dto.evidenceId);
      if (e.type !== 'otp') throw DomainError.rule('this evidence is not an OTP', { reason: 'NOT_OTP' });
      if (e.otpLockedAt) return { ok: false, error: locked(this.config.OTP_MAX_ATTEMPTS) };
      if (e.status !== 'pending') throw DomainError.rule(`the OTP was already ${e.status}`, { reason: 'OTP_ALREADY_USED' });
      if (!e.otpExpiresAt || e.otpExpiresAt.getTime() <= now.getTime()) {
        return { ok: false, error: DomainError.rule('the OTP has expired; request a new one', { reason: 'OTP_EXPIRED' }) };
      }
      const next = { ...e, version: e.version + 1, updatedAt: now };
      if (!otpMatches(this.config.OTP_SECRET, e.id, dto.code, e.otpHash!)) {
        const attempts = e.otpAttempts + 1;
        const left = this.config.OTP_MAX_ATTEMPTS - attempts;
        await this.evidence.update(tx, { ...next, otpAttempts: attempts, otpLockedAt: left <= 0 ? now : null });
        return {
          ok: false,
          error: left <= 0 ? locked(this.config.OTP_MAX_ATTEMPTS) : DomainError.rule('the OTP is wrong', { reason: 'OTP_INVALID', attemptsLeft: left }),
        };
      }
      const ticket = await this.tickets.lockOrFail(tx, ctx.tenantId, e.ticketId);
      const verified = { ...next, status: 'uploaded', otpVerifiedAt: now, otpHash: null };
      await this.evidence.update(tx, verified);
      await this.outbox.append(tx, ctx, [
        {
          type: 'EVIDENCE_UPLOADED',
          aggregateId: e.id,
          aggregateVersion: verified.version,
          payload: {
            evidenceId: e.id,
            ticketId: ticket.id,
            contractId: ticket.contractId,
            eventId: e.eventId ?? undefined,
            type: 'otp',
            status: verified.status,
            label: e.label ?? undefined,
          },
        },
      ]);
      await this.ticketMover.advance(tx, ctx, ticket, 'evidence_uploaded');
      return { ok: true, view: toEvidenceView(verified) };
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.view;
  }
}

function locked(max: number): DomainError {
  return DomainError.rule(`the OTP is locked after ${max} wrong attempts; request a new one`, { reason: 'OTP_LOCKED' });
}
