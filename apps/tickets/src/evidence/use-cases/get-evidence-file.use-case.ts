import { Injectable } from '@nestjs/common';
import { EvidenceFileRefView, EvidenceRef } from '@app/shared/api/tickets/evidence.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { EvidenceRepository } from '../evidence.repository';

/** Where the file of photo, document or signature evidence is: the gateway streams its bytes from the file store. */
@Injectable()
export class GetEvidenceFileUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly evidence: EvidenceRepository,
  ) {}

  async execute(ctx: RequestContext, ref: EvidenceRef): Promise<EvidenceFileRefView> {
    const e = await this.evidence.findOrFail(this.db.reader, ctx.tenantId, ref.id, ref.evidenceId);
    if (!e.storageKey) throw DomainError.notFound('file of evidence', ref.evidenceId);
    // A stored file always has its name, size, type and digest (recorded in the same row).
    return { storageKey: e.storageKey, fileName: e.fileName!, contentType: e.contentType!, size: e.fileSize!, sha256: e.sha256! };
  }
}
