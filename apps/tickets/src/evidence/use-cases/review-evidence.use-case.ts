import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { EvidenceRef, EvidenceView, ReviewEvidenceDto } from '@app/shared/api/tickets/evidence.dto';
import { TicketRepository } from '../../tickets/ticket.repository';
import { EvidenceEntity } from '../evidence.entity';
import { toEvidenceView } from '../evidence.view';

/** Review: uploaded → verified | rejected (with a reason). Pending OTP evidence is verified with its code instead. */
@Injectable()
export class ReviewEvidenceUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: ReviewEvidenceDto): Promise<EvidenceView> {
    if (dto.status === 'rejected' && !dto.reason?.trim()) {
      throw new DomainError(ErrorCode.REASON_REQUIRED, 'rejecting evidence needs a reason');
    }
    return this.dataSource.transaction(async (tx) => {
      const now = this.clock.now();
      const ticket = await this.tickets.findOrFail(tx, ctx.tenantId, dto.id);
      const evidence = await lockEvidence(tx, ctx.tenantId, dto);
      if (evidence.status !== 'uploaded') {
        throw new DomainError(ErrorCode.TRANSITION_NOT_ALLOWED, `evidence that is ${evidence.status} cannot be ${dto.status}`, { from: evidence.status, to: dto.status });
      }
      evidence.status = dto.status;
      evidence.rejectionReason = dto.status === 'rejected' ? dto.reason! : null;
      evidence.reviewedBy = ctx.actor.id;
      evidence.reviewedByName = ctx.actor.name;
      evidence.reviewedAt = now;
      evidence.version += 1;
      evidence.updatedAt = now;
      await tx.save(EvidenceEntity, evidence);
      await this.outbox.append(tx, ctx, [
        {
          type: dto.status === 'verified' ? 'EVIDENCE_VERIFIED' : 'EVIDENCE_REJECTED',
          aggregateId: evidence.id,
          aggregateVersion: evidence.version,
          payload: {
            evidenceId: evidence.id,
            ticketId: ticket.id,
            contractId: ticket.contractId,
            eventId: evidence.eventId ?? undefined,
            type: evidence.type,
            status: evidence.status,
            reason: evidence.rejectionReason ?? undefined,
            label: evidence.label ?? undefined,
          },
        },
      ]);
      return toEvidenceView(evidence);
    });
  }
}

export async function lockEvidence(tx: EntityManager, tenantId: string, ref: EvidenceRef): Promise<EvidenceEntity> {
  const evidence = await tx.findOne(EvidenceEntity, { where: { tenantId, ticketId: ref.id, id: ref.evidenceId }, lock: { mode: 'pessimistic_write' } });
  if (!evidence) throw DomainError.notFound('evidence', ref.evidenceId);
  return evidence;
}
