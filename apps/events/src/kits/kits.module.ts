import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { KitRepository } from './kit.repository';
import { KitTemplateRepository } from './kit-template.repository';
import { KitsRpcController } from './kits.rpc.controller';
import { AssignKitToActivityUseCase } from './use-cases/assign-kit-to-activity.use-case';
import { CheckOutKitUseCase } from './use-cases/check-out-kit.use-case';
import { CreateKitUseCase } from './use-cases/create-kit.use-case';
import { CreateKitTemplateUseCase } from './use-cases/create-kit-template.use-case';
import { DeleteKitTemplateUseCase } from './use-cases/delete-kit-template.use-case';
import { GetKitUseCase } from './use-cases/get-kit.use-case';
import { GetKitTemplateUseCase } from './use-cases/get-kit-template.use-case';
import { ListKitHistoryUseCase } from './use-cases/list-kit-history.use-case';
import { ListKitTemplatesUseCase } from './use-cases/list-kit-templates.use-case';
import { ListKitsUseCase } from './use-cases/list-kits.use-case';
import { PrepareKitUseCase } from './use-cases/prepare-kit.use-case';
import { ReportKitIssueUseCase } from './use-cases/report-kit-issue.use-case';
import { ReturnKitUseCase } from './use-cases/return-kit.use-case';
import { UpdateKitUseCase } from './use-cases/update-kit.use-case';
import { UpdateKitTemplateUseCase } from './use-cases/update-kit-template.use-case';

/** Kit templates and kits: assignment to activities, preparation, check-out, return, issues, history. */
@Module({
  imports: [ActivitiesModule],
  controllers: [KitsRpcController],
  providers: [
    KitTemplateRepository,
    KitRepository,
    CreateKitTemplateUseCase,
    ListKitTemplatesUseCase,
    GetKitTemplateUseCase,
    UpdateKitTemplateUseCase,
    DeleteKitTemplateUseCase,
    CreateKitUseCase,
    ListKitsUseCase,
    GetKitUseCase,
    UpdateKitUseCase,
    ListKitHistoryUseCase,
    AssignKitToActivityUseCase,
    PrepareKitUseCase,
    CheckOutKitUseCase,
    ReturnKitUseCase,
    ReportKitIssueUseCase,
  ],
})
export class KitsModule {}
