import { Controller } from '@nestjs/common';
import { EvidenceRef, ListEvidenceQuery, RecordEvidenceDto, ReviewEvidenceDto, VerifyOtpDto } from '@app/shared/api/tickets/evidence.dto';
import { downloadEvidenceFile, listEvidence, recordEvidence, reviewEvidence, verifyEvidenceOtp } from '@app/shared/api/tickets/tickets.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { ListEvidenceUseCase } from './use-cases/list-evidence.use-case';
import { ReadEvidenceFileUseCase } from './use-cases/read-evidence-file.use-case';
import { RecordEvidenceUseCase } from './use-cases/record-evidence.use-case';
import { ReviewEvidenceUseCase } from './use-cases/review-evidence.use-case';
import { VerifyOtpUseCase } from './use-cases/verify-otp.use-case';

@Controller()
export class EvidenceRpcController {
  constructor(
    private readonly record: RecordEvidenceUseCase,
    private readonly list: ListEvidenceUseCase,
    private readonly review: ReviewEvidenceUseCase,
    private readonly verifyOtp: VerifyOtpUseCase,
    private readonly file: ReadEvidenceFileUseCase,
  ) {}

  @Handles(recordEvidence)
  onRecord(input: RecordEvidenceDto, ctx: RequestContext) {
    return this.record.execute(ctx, input);
  }

  @Handles(listEvidence)
  onList(input: ListEvidenceQuery, ctx: RequestContext) {
    return this.list.execute(ctx, input);
  }

  @Handles(reviewEvidence)
  onReview(input: ReviewEvidenceDto, ctx: RequestContext) {
    return this.review.execute(ctx, input);
  }

  @Handles(verifyEvidenceOtp)
  onVerifyOtp(input: VerifyOtpDto, ctx: RequestContext) {
    return this.verifyOtp.execute(ctx, input);
  }

  @Handles(downloadEvidenceFile)
  onFile(input: EvidenceRef, ctx: RequestContext) {
    return this.file.execute(ctx, input);
  }
}
