import { Controller } from '@nestjs/common';
import {
  ActivityParams,
  AssignActivityDto,
  CompleteActivityDto,
  CreateActivityDto,
  ListActivitiesQuery,
  ReportActivityIssueDto,
  StartActivityDto,
} from '@app/shared/api/events/activities.dto';
import {
  assignActivity,
  completeActivity,
  createActivity,
  getActivity,
  listActivities,
  reportActivityIssue,
  startActivity,
} from '@app/shared/api/events/activities.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { AssignActivityUseCase } from './use-cases/assign-activity.use-case';
import { CompleteActivityUseCase } from './use-cases/complete-activity.use-case';
import { CreateActivityUseCase } from './use-cases/create-activity.use-case';
import { GetActivityUseCase } from './use-cases/get-activity.use-case';
import { ListActivitiesUseCase } from './use-cases/list-activities.use-case';
import { ReportActivityIssueUseCase } from './use-cases/report-activity-issue.use-case';
import { StartActivityUseCase } from './use-cases/start-activity.use-case';

@Controller()
export class ActivitiesRpcController {
  constructor(
    private readonly createActivity: CreateActivityUseCase,
    private readonly listActivities: ListActivitiesUseCase,
    private readonly getActivity: GetActivityUseCase,
    private readonly assignActivity: AssignActivityUseCase,
    private readonly startActivity: StartActivityUseCase,
    private readonly completeActivity: CompleteActivityUseCase,
    private readonly reportIssue: ReportActivityIssueUseCase,
  ) {}

  @Handles(createActivity)
  create(input: CreateActivityDto, ctx: RequestContext) {
    return this.createActivity.execute(ctx, input);
  }

  @Handles(listActivities)
  list(input: ListActivitiesQuery, ctx: RequestContext) {
    return this.listActivities.execute(ctx, input);
  }

  @Handles(getActivity)
  get(input: ActivityParams, ctx: RequestContext) {
    return this.getActivity.execute(ctx, input);
  }

  @Handles(assignActivity)
  assign(input: AssignActivityDto, ctx: RequestContext) {
    return this.assignActivity.execute(ctx, input);
  }

  @Handles(startActivity)
  start(input: StartActivityDto, ctx: RequestContext) {
    return this.startActivity.execute(ctx, input);
  }

  @Handles(completeActivity)
  complete(input: CompleteActivityDto, ctx: RequestContext) {
    return this.completeActivity.execute(ctx, input);
  }

  @Handles(reportActivityIssue)
  issue(input: ReportActivityIssueDto, ctx: RequestContext) {
    return this.reportIssue.execute(ctx, input);
  }
}
