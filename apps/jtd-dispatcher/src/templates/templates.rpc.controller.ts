import { Controller } from '@nestjs/common';
import { CreateJtdTemplateDto, JtdTemplateRef, ListJtdTemplatesQuery, UpdateJtdTemplateDto } from '@app/shared/api/jtd/jtd-templates.dto';
import { createJtdTemplate, getJtdTemplate, listJtdTemplates, updateJtdTemplate } from '@app/shared/api/jtd/jtd-settings.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { CreateTemplateUseCase } from './use-cases/create-template.use-case';
import { GetTemplateUseCase } from './use-cases/get-template.use-case';
import { ListTemplatesUseCase } from './use-cases/list-templates.use-case';
import { UpdateTemplateUseCase } from './use-cases/update-template.use-case';

@Controller()
export class TemplatesRpcController {
  constructor(
    private readonly listTemplates: ListTemplatesUseCase,
    private readonly getTemplate: GetTemplateUseCase,
    private readonly createTemplate: CreateTemplateUseCase,
    private readonly updateTemplate: UpdateTemplateUseCase,
  ) {}

  @Handles(listJtdTemplates)
  list(input: ListJtdTemplatesQuery, ctx: RequestContext) {
    return this.listTemplates.execute(ctx, input);
  }

  @Handles(getJtdTemplate)
  get(input: JtdTemplateRef, ctx: RequestContext) {
    return this.getTemplate.execute(ctx, input);
  }

  @Handles(createJtdTemplate)
  create(input: CreateJtdTemplateDto, ctx: RequestContext) {
    return this.createTemplate.execute(ctx, input);
  }

  @Handles(updateJtdTemplate)
  update(input: UpdateJtdTemplateDto, ctx: RequestContext) {
    return this.updateTemplate.execute(ctx, input);
  }
}
