import { Module } from '@nestjs/common';
import { JobsRpcController } from './jobs.rpc.controller';
import { CancelJobUseCase } from './use-cases/cancel-job.use-case';
import { CreateJobsUseCase } from './use-cases/create-jobs.use-case';
import { GetJobUseCase } from './use-cases/get-job.use-case';
import { ListJobHistoryUseCase } from './use-cases/list-job-history.use-case';
import { ListJobsUseCase } from './use-cases/list-jobs.use-case';
import { ListSandboxMessagesUseCase } from './use-cases/list-sandbox-messages.use-case';
import { RetryJobUseCase } from './use-cases/retry-job.use-case';
import { TransitionJobUseCase } from './use-cases/transition-job.use-case';

/** Jobs through the API: creation, reads, history, the sandbox, and what people do to a job (move, retry, cancel). */
@Module({
  controllers: [JobsRpcController],
  providers: [
    CreateJobsUseCase,
    ListJobsUseCase,
    ListSandboxMessagesUseCase,
    GetJobUseCase,
    ListJobHistoryUseCase,
    TransitionJobUseCase,
    RetryJobUseCase,
    CancelJobUseCase,
  ],
})
export class JobsModule {}
