import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { EvidenceFileContentView, EvidenceRef } from '@app/shared/api/tickets/evidence.dto';
import { EvidenceEntity } from '../evidence.entity';
import { EvidenceStorage } from '../storage/evidence-storage';

/** The stored bytes of file evidence (base64 over RPC, as they came in), checked against their sha256. */
@Injectable()
export class ReadEvidenceFileUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: EvidenceStorage,
  ) {}

  async execute(ctx: RequestContext, dto: EvidenceRef): Promise<EvidenceFileContentView> {
    const evidence = await this.dataSource.manager.findOne(EvidenceEntity, { where: { tenantId: ctx.tenantId, ticketId: dto.id, id: dto.evidenceId } });
    if (!evidence) throw DomainError.notFound('evidence', dto.evidenceId);
    if (!evidence.storageKey) throw DomainError.notFound('file of evidence', dto.evidenceId);
    const bytes = await this.storage.get(evidence.storageKey);
    // A stored file always has its name, type and digest (recorded in the same row).
    return { fileName: evidence.fileName!, contentType: evidence.contentType!, size: bytes.length, sha256: evidence.sha256!, contentBase64: bytes.toString('base64') };
  }
}
