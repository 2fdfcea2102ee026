import { Controller } from '@nestjs/common';
import {
  AssignKitDto,
  CheckOutKitDto,
  CreateKitDto,
  CreateKitTemplateDto,
  KitHistoryQuery,
  KitParams,
  KitTemplateParams,
  ListKitTemplatesQuery,
  ListKitsQuery,
  PrepareKitDto,
  ReportKitIssueDto,
  ReturnKitDto,
  UpdateKitDto,
  UpdateKitTemplateDto,
} from '@app/shared/api/events/kits.dto';
import * as op from '@app/shared/api/events/kits.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
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

@Controller()
export class KitsRpcController {
  constructor(
    private readonly createKitTemplateUseCase: CreateKitTemplateUseCase,
    private readonly listKitTemplatesUseCase: ListKitTemplatesUseCase,
    private readonly getKitTemplateUseCase: GetKitTemplateUseCase,
    private readonly updateKitTemplateUseCase: UpdateKitTemplateUseCase,
    private readonly deleteKitTemplateUseCase: DeleteKitTemplateUseCase,
    private readonly createKitUseCase: CreateKitUseCase,
    private readonly listKitsUseCase: ListKitsUseCase,
    private readonly getKitUseCase: GetKitUseCase,
    private readonly updateKitUseCase: UpdateKitUseCase,
    private readonly listKitHistoryUseCase: ListKitHistoryUseCase,
    private readonly assignKitToActivityUseCase: AssignKitToActivityUseCase,
    private readonly prepareKitUseCase: PrepareKitUseCase,
    private readonly checkOutKitUseCase: CheckOutKitUseCase,
    private readonly returnKitUseCase: ReturnKitUseCase,
    private readonly reportKitIssueUseCase: ReportKitIssueUseCase,
  ) {}

  @Handles(op.createKitTemplate)
  createTemplate(input: CreateKitTemplateDto, ctx: RequestContext) {
    return this.createKitTemplateUseCase.execute(ctx, input);
  }

  @Handles(op.listKitTemplates)
  listTemplates(input: ListKitTemplatesQuery, ctx: RequestContext) {
    return this.listKitTemplatesUseCase.execute(ctx, input);
  }

  @Handles(op.getKitTemplate)
  getTemplate(input: KitTemplateParams, ctx: RequestContext) {
    return this.getKitTemplateUseCase.execute(ctx, input);
  }

  @Handles(op.updateKitTemplate)
  updateTemplate(input: UpdateKitTemplateDto, ctx: RequestContext) {
    return this.updateKitTemplateUseCase.execute(ctx, input);
  }

  @Handles(op.deleteKitTemplate)
  deleteTemplate(input: KitTemplateParams, ctx: RequestContext) {
    return this.deleteKitTemplateUseCase.execute(ctx, input);
  }

  @Handles(op.createKit)
  create(input: CreateKitDto, ctx: RequestContext) {
    return this.createKitUseCase.execute(ctx, input);
  }

  @Handles(op.listKits)
  list(input: ListKitsQuery, ctx: RequestContext) {
    return this.listKitsUseCase.execute(ctx, input);
  }

  @Handles(op.getKit)
  get(input: KitParams, ctx: RequestContext) {
    return this.getKitUseCase.execute(ctx, input);
  }

  @Handles(op.updateKit)
  update(input: UpdateKitDto, ctx: RequestContext) {
    return this.updateKitUseCase.execute(ctx, input);
  }

  @Handles(op.listKitHistory)
  history(input: KitHistoryQuery, ctx: RequestContext) {
    return this.listKitHistoryUseCase.execute(ctx, input);
  }

  @Handles(op.assignKitToActivity)
  assign(input: AssignKitDto, ctx: RequestContext) {
    return this.assignKitToActivityUseCase.execute(ctx, input);
  }

  @Handles(op.prepareKit)
  prepare(input: PrepareKitDto, ctx: RequestContext) {
    return this.prepareKitUseCase.execute(ctx, input);
  }

  @Handles(op.checkOutKit)
  checkOut(input: CheckOutKitDto, ctx: RequestContext) {
    return this.checkOutKitUseCase.execute(ctx, input);
  }

  @Handles(op.returnKit)
  giveBack(input: ReturnKitDto, ctx: RequestContext) {
    return this.returnKitUseCase.execute(ctx, input);
  }

  @Handles(op.reportKitIssue)
  issue(input: ReportKitIssueDto, ctx: RequestContext) {
    return this.reportKitIssueUseCase.execute(ctx, input);
  }
}
