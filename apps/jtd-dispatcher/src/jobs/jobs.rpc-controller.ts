import { Controller } from '@nestjs/common';
import {
  CancelJobDto, CreateJobsDto, JobRef, ListJobHistoryQuery, ListJobsQuery, ListSandboxMessagesQuery, TransitionJobDto,
} from '@app/shared/api/jtd/jobs.dto';
import {
  cancelJob, createJobs, getJob, listJobHistory, listJobs, listSandboxMessages, retryJob, transitionJob,
} from '@app/shared/api/jtd/jobs.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { JobsQueries } from './jobs.queries';
import { ActOnJobUseCase } from './use-cases/act-on-job.use-case';
import { CreateJobsUseCase } from './use-cases/create-jobs.use-case';

@Controller()
export class JobsRpcController {
  constructor(
    private readonly create: CreateJobsUseCase,
    private readonly act: ActOnJobUseCase,
    private readonly queries: JobsQueries,
  ) {}

  @Handles(createJobs)
  createJobs(b: CreateJobsDto, ctx: RequestContext) {
    return this.create.forRequest(ctx, b);
  }

  @Handles(listJobs)
  listJobs(b: ListJobsQuery, ctx: RequestContext) {
    return this.queries.list(ctx.tenantId, b);
  }

  @Handles(listSandboxMessages)
  listSandboxMessages(b: ListSandboxMessagesQuery, ctx: RequestContext) {
    return this.queries.sandbox(ctx.tenantId, b);
  }

  @Handles(getJob)
  getJob(b: JobRef, ctx: RequestContext) {
    return this.queries.get(ctx.tenantId, b.id);
  }

  @Handles(listJobHistory)
  listJobHistory(b: ListJobHistoryQuery, ctx: RequestContext) {
    return this.queries.history(ctx.tenantId, b);
  }

  @Handles(transitionJob)
  transitionJob(b: TransitionJobDto, ctx: RequestContext) {
    return this.act.transition(ctx, b.id, b.toStatus, b.reason);
  }

  @Handles(retryJob)
  retryJob(b: JobRef, ctx: RequestContext) {
    return this.act.retry(ctx, b.id);
  }

  @Handles(cancelJob)
  cancelJob(b: CancelJobDto, ctx: RequestContext) {
    return this.act.cancel(ctx, b.id, b.reason);
  }
}
