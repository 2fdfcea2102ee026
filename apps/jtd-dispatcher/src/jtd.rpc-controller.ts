import { Controller } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
import {
  CancelJtdDto, CreateJtdDto, CreateJtdTemplateDto, JtdIdDto, ListInboxDto, ListJtdDto, ListTemplatesDto, Msg91WebhookDto,
  SourceTypeParamDto, TransitionJtdDto, UpdateJtdSettingsDto, UpdateJtdSourceSettingsDto, UpdateJtdTemplateDto,
} from '@app/shared/api/jtd/jtd.dto';
import { InboxService } from './inbox/inbox.service';
import { jobView } from './jobs/job-row';
import { JobsQueries } from './jobs/jobs.queries';
import { ActOnJobUseCase } from './jobs/use-cases/act-on-job.use-case';
import { CreateJobsUseCase } from './jobs/use-cases/create-jobs.use-case';
import { JtdSettingsService } from './settings/jtd-settings.service';
import { JtdTemplatesService } from './templates/jtd-templates.service';
import { Msg91WebhookUseCase } from './webhooks/msg91-webhook.use-case';

/** RPC edge of the dispatcher: one line per pattern. */
@Controller()
export class JtdRpcController {
  constructor(
    private readonly create: CreateJobsUseCase,
    private readonly act: ActOnJobUseCase,
    private readonly queries: JobsQueries,
    private readonly settings: JtdSettingsService,
    private readonly templates: JtdTemplatesService,
    private readonly inbox: InboxService,
    private readonly webhook: Msg91WebhookUseCase,
  ) {}

  @RpcHandler('jtd.jobs.create', CreateJtdDto)
  async createJobs(b: CreateJtdDto, ctx: RequestContext) {
    const channels = b.channels ?? (b.channel ? [b.channel] : undefined);
    const r = await this.create.execute({ ctx, ...b, channels, requestId: null });
    if (r.jobs.length === 0) throw new DomainError(ErrorCode.BUSINESS_RULE, 'no channel could be used for this job', { skipped: r.skipped });
    return { items: r.jobs.map(jobView), skipped: r.skipped };
  }

  @RpcHandler('jtd.jobs.list', ListJtdDto)
  list(b: ListJtdDto, ctx: RequestContext) {
    return this.queries.list(ctx.tenantId, b);
  }

  @RpcHandler('jtd.jobs.get', JtdIdDto)
  get(b: JtdIdDto, ctx: RequestContext) {
    return this.queries.get(ctx.tenantId, b.id);
  }

  @RpcHandler('jtd.jobs.history', JtdIdDto)
  history(b: JtdIdDto, ctx: RequestContext) {
    return this.queries.history(ctx.tenantId, b.id);
  }

  @RpcHandler('jtd.jobs.transition', TransitionJtdDto)
  transition(b: TransitionJtdDto, ctx: RequestContext) {
    return this.act.transition(ctx, b.id, b.to, b.note);
  }

  @RpcHandler('jtd.jobs.retry', JtdIdDto)
  retry(b: JtdIdDto, ctx: RequestContext) {
    return this.act.retry(ctx, b.id);
  }

  @RpcHandler('jtd.jobs.cancel', CancelJtdDto)
  cancel(b: CancelJtdDto, ctx: RequestContext) {
    return this.act.cancel(ctx, b.id, b.reason);
  }

  @RpcHandler('jtd.sandbox.list')
  sandbox(_b: unknown, ctx: RequestContext) {
    return this.queries.sandbox(ctx.tenantId);
  }

  @RpcHandler('jtd.settings.get')
  getSettings(_b: unknown, ctx: RequestContext) {
    return this.settings.get(ctx.tenantId);
  }

  @RpcHandler('jtd.settings.update', UpdateJtdSettingsDto)
  updateSettings(b: UpdateJtdSettingsDto, ctx: RequestContext) {
    return this.settings.update(ctx.tenantId, b);
  }

  @RpcHandler('jtd.settings.rotate-webhook-secret')
  rotateSecret(_b: unknown, ctx: RequestContext) {
    return this.settings.rotateWebhookSecret(ctx.tenantId);
  }

  @RpcHandler('jtd.sources.get', SourceTypeParamDto)
  getSource(b: SourceTypeParamDto, ctx: RequestContext) {
    return this.settings.getSource(ctx.tenantId, b.sourceType);
  }

  @RpcHandler('jtd.sources.update', UpdateJtdSourceSettingsDto)
  updateSource(b: UpdateJtdSourceSettingsDto, ctx: RequestContext) {
    return this.settings.updateSource(ctx.tenantId, b);
  }

  @RpcHandler('jtd.templates.list', ListTemplatesDto)
  listTemplates(b: ListTemplatesDto, ctx: RequestContext) {
    return this.templates.list(ctx.tenantId, b.channel);
  }

  @RpcHandler('jtd.templates.get', JtdIdDto)
  getTemplate(b: JtdIdDto, ctx: RequestContext) {
    return this.templates.get(ctx.tenantId, b.id);
  }

  @RpcHandler('jtd.templates.create', CreateJtdTemplateDto)
  createTemplate(b: CreateJtdTemplateDto, ctx: RequestContext) {
    return this.templates.create(ctx.tenantId, b);
  }

  @RpcHandler('jtd.templates.update', UpdateJtdTemplateDto)
  updateTemplate(b: UpdateJtdTemplateDto, ctx: RequestContext) {
    return this.templates.update(ctx.tenantId, b);
  }

  @RpcHandler('jtd.inbox.list', ListInboxDto)
  listInbox(b: ListInboxDto, ctx: RequestContext) {
    return this.inbox.list(ctx, b);
  }

  @RpcHandler('jtd.inbox.read', JtdIdDto)
  readInbox(b: JtdIdDto, ctx: RequestContext) {
    return this.inbox.markRead(ctx, b.id);
  }

  @RpcHandler('jtd.webhooks.msg91', Msg91WebhookDto)
  msg91(b: Msg91WebhookDto, ctx: RequestContext) {
    return this.webhook.execute(ctx, b.channel, b.tenant, b.token, b.payload);
  }
}
