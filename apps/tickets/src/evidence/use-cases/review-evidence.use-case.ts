import { Injectable } from '@nestjs/common';
import { EvidenceView, ReviewEvidenceDto } from '@app/shared/api/tickets/evidence.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { TicketRepository } from '../../tickets/ticket.repository';
import { EvidenceRepository, EvidenceRow } from '../evidence.repository';
import { toEvidenceView } from '../evidence.view';

/** Review: uploaded → verified | rejected (with a reason). Pending OTP evidence is verified with its code instead. */
@Injectable()
export class ReviewEvidenceUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tickets: TicketRepository,
    private readonly evidence: EvidenceRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: ReviewEvidenceDto): Promise<EvidenceView> {
    if (dto.status === 'rejected' && !dto.reason?.trim()) throw new DomainError(ErrorCode.REASON_REQUIRED, 'rejecting evidence needs a reason');
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      const ticket = await this.tickets.findOrFail(tx, ctx.tenantId, dto.id);
      const current = await this.evidence.lockOrFail(tx, ctx.tenantId, dto.id, dto.evidenceId);
      if (current.status !== 'uploaded') {
        throw new DomainError(ErrorCode.TRANSITION_NOT_ALLOWED, `evidence that is ${current.status} cannot be ${dto.status}`, {
          from: current.status,
          to: dto.status,
        });
      }
      const reviewed: EvidenceRow = {
        ...current,
        status: dto.status,
        rejectionReason: dto.status === 'rejected' ? dto.reason! : null,
        reviewedBy: ctx.actor.id,
        reviewedByName: ctx.actor.name,
        reviewedAt: now,
        version: current.version + 1,
        updatedAt: now,
      };
      await this.evidence.update(tx, reviewed);
      await this.outbox.append(tx, ctx, [
        {
          type: dto.status === 'verified' ? 'EVIDENCE_VERIFIED' : 'EVIDENCE_REJECTED',
          aggregateId: reviewed.id,
          aggregateVersion: reviewed.version,
          payload: {
            evidenceId: reviewed.id,
            ticketId: ticket.id,
            contractId: ticket.contractId,
            eventId: reviewed.eventId ?? undefined,
            type: reviewed.type,
            status: reviewed.status,
            reason: reviewed.rejectionReason ?? undefined,
            label: reviewed.label ?? undefined,
          },
        },
      ]);
      return toEvidenceView(reviewed);
    });
  }
}
