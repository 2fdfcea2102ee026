import { Injectable } from '@nestjs/common';
import { JtdChannelFallbackView } from '@app/shared/api/jtd/jtd-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { fallbackRoutes } from '../channel-fallback-rules';
import { TenantConfigRepository } from '../tenant-config.repository';

/** The tenant's channel fallback, as stored now (never from a cache). */
@Injectable()
export class GetChannelFallbackUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tenants: TenantConfigRepository,
  ) {}

  async execute(ctx: RequestContext): Promise<JtdChannelFallbackView> {
    const config = await this.tenants.get(this.db.reader, ctx.tenantId);
    return { routes: fallbackRoutes(config.channelFallback), version: config.version };
  }
}
