import { Module } from '@nestjs/common';
import { ActivitiesRpcController } from './activities.rpc.controller';
import { ActivityRepository } from './activity.repository';
import { AssignActivityUseCase } from './use-cases/assign-activity.use-case';
import { CompleteActivityUseCase } from './use-cases/complete-activity.use-case';
import { CreateActivityUseCase } from './use-cases/create-activity.use-case';
import { GetActivityUseCase } from './use-cases/get-activity.use-case';
import { ListActivitiesUseCase } from './use-cases/list-activities.use-case';
import { ReportActivityIssueUseCase } from './use-cases/report-activity-issue.use-case';
import { StartActivityUseCase } from './use-cases/start-activity.use-case';

/** Activities of contract events: sub-tasks carried out by someone (create, assign, start, complete, issues). */
@Module({
  controllers: [ActivitiesRpcController],
  providers: [
    ActivityRepository,
    CreateActivityUseCase,
    ListActivitiesUseCase,
    GetActivityUseCase,
    AssignActivityUseCase,
    StartActivityUseCase,
    CompleteActivityUseCase,
    ReportActivityIssueUseCase,
  ],
  exports: [ActivityRepository],
})
export class ActivitiesModule {}
