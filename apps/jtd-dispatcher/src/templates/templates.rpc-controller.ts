import { Controller } from '@nestjs/common';
import { CreateJtdTemplateDto, JtdTemplateRef, ListJtdTemplatesQuery, UpdateJtdTemplateDto } from '@app/shared/api/jtd/jtd-templates.dto';
import { createJtdTemplate, getJtdTemplate, listJtdTemplates, updateJtdTemplate } from '@app/shared/api/jtd/jtd-settings.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { JtdTemplatesService } from './jtd-templates.service';

@Controller()
export class TemplatesRpcController {
  constructor(private readonly templates: JtdTemplatesService) {}

  @Handles(listJtdTemplates)
  listJtdTemplates(b: ListJtdTemplatesQuery, ctx: RequestContext) {
    return this.templates.list(ctx.tenantId, b);
  }

  @Handles(getJtdTemplate)
  getJtdTemplate(b: JtdTemplateRef, ctx: RequestContext) {
    return this.templates.get(ctx.tenantId, b.id);
  }

  @Handles(createJtdTemplate)
  createJtdTemplate(b: CreateJtdTemplateDto, ctx: RequestContext) {
    return this.templates.create(ctx.tenantId, b);
  }

  @Handles(updateJtdTemplate)
  updateJtdTemplate(b: UpdateJtdTemplateDto, ctx: RequestContext) {
    return this.templates.update(ctx.tenantId, b);
  }
}
