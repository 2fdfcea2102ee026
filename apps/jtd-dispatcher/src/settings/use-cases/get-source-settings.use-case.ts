import { Injectable } from '@nestjs/common';
import { JtdSourceSettingsView, JtdSourceTypeRef } from '@app/shared/api/jtd/jtd-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { MasterDataRepository } from '../../master-data/master-data.repository';
import { sourceView } from '../settings.view';
import { SourceConfigRepository } from '../source-config.repository';
import { sourceSettingsOf } from '../source-settings';

/** The tenant's settings of one source type (its override, or the defaults). */
@Injectable()
export class GetSourceSettingsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly master: MasterDataRepository,
    private readonly sources: SourceConfigRepository,
  ) {}

  async execute(ctx: RequestContext, input: JtdSourceTypeRef): Promise<JtdSourceSettingsView> {
    return sourceView(await sourceSettingsOf(this.db.reader, this.master, this.sources, ctx.tenantId, input.sourceType));
  }
}
