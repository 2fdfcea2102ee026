import { Controller } from '@nestjs/common';
import { EvidenceRef, ListEvidenceQuery, RecordEvidenceDto, ReviewEvidenceDto, VerifyOtpDto } from '@app/shared/api/tickets/evidence.dto';
import { downloadEvidenceFile, listEvidence, recordEvidence, reviewEvidence, verifyEvidenceOtp } from '@app/shared/api/tickets/tickets.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { GetEvidenceFileUseCase } from './use-cases/get-evidence-file.use-case';
import { ListEvidenceUseCase } from './use-cases/list-evidence.use-case';
import { RecordEvidenceUseCase } from './use-cases/record-evidence.use-case';
import { ReviewEvidenceUseCase } from './use-cases/review-evidence.use-case';
import { VerifyOtpUseCase } from './use-cases/verify-otp.use-case';

@Controller()
export class EvidenceRpcController {
  constructor(
    private readonly recordEvidence: RecordEvidenceUseCase,
    private readonly listEvidence: ListEvidenceUseCase,
    private readonly reviewEvidence: ReviewEvidenceUseCase,
    private readonly verifyOtp: VerifyOtpUseCase,
    private readonly evidenceFile: GetEvidenceFileUseCase,
  ) {}

  @Handles(recordEvidence)
  record(input: RecordEvidenceDto, ctx: RequestContext) {
    return this.recordEvidence.execute(ctx, input);
  }

  @Handles(listEvidence)
  list(input: ListEvidenceQuery, ctx: RequestContext) {
    return this.listEvidence.execute(ctx, input);
  }

  @Handles(reviewEvidence)
  review(input: ReviewEvidenceDto, ctx: RequestContext) {
    return this.reviewEvidence.execute(ctx, input);
  }

  @Handles(verifyEvidenceOtp)
  verify(input: VerifyOtpDto, ctx: RequestContext) {
    return this.verifyOtp.execute(ctx, input);
  }

  @Handles(downloadEvidenceFile)
  file(input: EvidenceRef, ctx: RequestContext) {
    return this.evidenceFile.execute(ctx, input);
  }
}
