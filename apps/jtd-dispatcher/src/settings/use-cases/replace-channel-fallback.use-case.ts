import { Injectable } from '@nestjs/common';
import { JtdChannelFallbackView, ReplaceJtdChannelFallbackDto } from '@app/shared/api/jtd/jtd-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { fallbackMap, fallbackProblems, fallbackRoutes } from '../channel-fallback-rules';
import { TenantConfigRepository } from '../tenant-config.repository';

/**
 * Replaces the tenant's channel fallback, checked against the channels it has enabled (one route per channel,
 * none to itself, no cycle); optimistic on the settings `version` when given. Replacing it with what it
 * already is changes nothing but the version.
 */
@Injectable()
export class ReplaceChannelFallbackUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tenants: TenantConfigRepository,
  ) {}

  async execute(ctx: RequestContext, dto: ReplaceJtdChannelFallbackDto): Promise<JtdChannelFallbackView> {
    const updated = await this.db.run(async (tx) => {
      const current = await this.tenants.get(tx, ctx.tenantId);
      const problems = fallbackProblems(dto.routes, current.channelsEnabled);
      if (Object.keys(problems).length) throw DomainError.validation(problems, 'the channel fallback is not valid');
      return this.tenants.update(tx, ctx.tenantId, { channelFallback: fallbackMap(dto.routes) }, dto.version);
    });
    if (updated === 'stale') throw DomainError.versionConflict(dto.version!, (await this.tenants.get(this.db.reader, ctx.tenantId)).version);
    return { routes: fallbackRoutes(updated.channelFallback), version: updated.version };
  }
}
