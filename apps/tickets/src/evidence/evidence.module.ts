import { Module } from '@nestjs/common';
import { EvidenceFileSweep } from './evidence-file-sweep';
import { EvidenceRpcController } from './evidence.rpc.controller';
import { GetEvidenceFileUseCase } from './use-cases/get-evidence-file.use-case';
import { ListEvidenceUseCase } from './use-cases/list-evidence.use-case';
import { RecordEvidenceUseCase } from './use-cases/record-evidence.use-case';
import { ReviewEvidenceUseCase } from './use-cases/review-evidence.use-case';
import { VerifyOtpUseCase } from './use-cases/verify-otp.use-case';

/** Evidence on tickets: files by reference to the shared file store, forms, notes, customer OTPs; their review. */
@Module({
  controllers: [EvidenceRpcController],
  providers: [RecordEvidenceUseCase, ListEvidenceUseCase, ReviewEvidenceUseCase, VerifyOtpUseCase, GetEvidenceFileUseCase, EvidenceFileSweep],
})
export class EvidenceModule {}
