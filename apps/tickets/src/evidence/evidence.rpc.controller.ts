import { Controller } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
import { EvidenceRefDto, RecordEvidenceDto, ReviewEvidenceDto, VerifyOtpDto } from '@app/shared/api/tickets/evidence.dto';
import { TicketIdDto } from '@app/shared/api/tickets/tickets.dto';
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

  @RpcHandler('tickets.evidence.record', RecordEvidenceDto)
  onRecord(body: RecordEvidenceDto, ctx: RequestContext) {
    return this.record.execute(ctx, body);
  }

  @RpcHandler('tickets.evidence.list', TicketIdDto)
  onList(body: TicketIdDto, ctx: RequestContext) {
    return this.list.execute(ctx, body);
  }

  @RpcHandler('tickets.evidence.review', ReviewEvidenceDto)
  onReview(body: ReviewEvidenceDto, ctx: RequestContext) {
    return this.review.execute(ctx, body);
  }

  @RpcHandler('tickets.evidence.verify-otp', VerifyOtpDto)
  onVerifyOtp(body: VerifyOtpDto, ctx: RequestContext) {
    return this.verifyOtp.execute(ctx, body);
  }

  @RpcHandler('tickets.evidence.file', EvidenceRefDto)
  onFile(body: EvidenceRefDto, ctx: RequestContext) {
    return this.file.execute(ctx, body);
  }
}
