import { Controller } from '@nestjs/common';
import {
  CancelJobDto,
  CreateJobsDto,
  JobRef,
  ListJobHistoryQuery,
  ListJobsQuery,
  ListSandboxMessagesQuery,
  TransitionJobDto,
} from '@app/shared/api/jtd/jobs.dto';
import { cancelJob, createJobs, getJob, listJobHistory, listJobs, listSandboxMessages, retryJob, transitionJob } from '@app/shared/api/jtd/jobs.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { CancelJobUseCase } from './use-cases/cancel-job.use-case';
import { CreateJobsUseCase } from './use-cases/create-jobs.use-case';
import { GetJobUseCase } from './use-cases/get-job.use-case';
import { ListJobHistoryUseCase } from './use-cases/list-job-history.use-case';
import { ListJobsUseCase } from './use-cases/list-jobs.use-case';
import { ListSandboxMessagesUseCase } from './use-cases/list-sandbox-messages.use-case';
import { RetryJobUseCase } from './use-cases/retry-job.use-case';
import { TransitionJobUseCase } from './use-cases/transition-job.use-case';

@Controller()
export class JobsRpcController {
  constructor(
    private readonly createJobs: CreateJobsUseCase,
    private readonly listJobs: ListJobsUseCase,
    private readonly listSandbox: ListSandboxMessagesUseCase,
    private readonly getJob: GetJobUseCase,
    private readonly listHistory: ListJobHistoryUseCase,
    private readonly transitionJob: TransitionJobUseCase,
    private readonly retryJob: RetryJobUseCase,
    private readonly cancelJob: CancelJobUseCase,
  ) {}

  @Handles(createJobs)
  create(input: CreateJobsDto, ctx: RequestContext) {
    return this.createJobs.execute(ctx, input);
  }

  @Handles(listJobs)
  list(input: ListJobsQuery, ctx: RequestContext) {
    return this.listJobs.execute(ctx, input);
  }

  @Handles(listSandboxMessages)
  sandbox(input: ListSandboxMessagesQuery, ctx: RequestContext) {
    return this.listSandbox.execute(ctx, input);
  }

  @Handles(getJob)
  get(input: JobRef, ctx: RequestContext) {
    return this.getJob.execute(ctx, input);
  }

  @Handles(listJobHistory)
  history(input: ListJobHistoryQuery, ctx: RequestContext) {
    return this.listHistory.execute(ctx, input);
  }

  @Handles(transitionJob)
  transition(input: TransitionJobDto, ctx: RequestContext) {
    return this.transitionJob.execute(ctx, input);
  }

  @Handles(retryJob)
  retry(input: JobRef, ctx: RequestContext) {
    return this.retryJob.execute(ctx, input);
  }

  @Handles(cancelJob)
  cancel(input: CancelJobDto, ctx: RequestContext) {
    return this.cancelJob.execute(ctx, input);
  }
}
