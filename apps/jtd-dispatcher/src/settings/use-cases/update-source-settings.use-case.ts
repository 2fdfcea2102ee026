import { Injectable } from '@nestjs/common';
import { JtdSourceSettingsView, UpdateJtdSourceSettingsDto } from '@app/shared/api/jtd/jtd-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { MasterDataRepository } from '../../master-data/master-data.repository';
import { sourceView } from '../settings.view';
import { SourceConfigRepository } from '../source-config.repository';
import { sourceSettingsOf } from '../source-settings';

/** Overrides a source type for the tenant: the fields sent change, the others keep their current value. */
@Injectable()
export class UpdateSourceSettingsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly master: MasterDataRepository,
    private readonly sources: SourceConfigRepository,
  ) {}

  async execute(ctx: RequestContext, dto: UpdateJtdSourceSettingsDto): Promise<JtdSourceSettingsView> {
    const current = await sourceSettingsOf(this.db.reader, this.master, this.sources, ctx.tenantId, dto.sourceType);
    const saved = await this.db.run((tx) =>
      this.sources.upsert(tx, ctx.tenantId, dto.sourceType, {
        channelsEnabled: dto.channelsEnabled !== undefined ? dto.channelsEnabled : current.channelsEnabled,
        isEnabled: dto.isEnabled ?? current.isEnabled,
        autoExecute: dto.autoExecute ?? current.autoExecute,
        priorityOverride: dto.priorityOverride !== undefined ? dto.priorityOverride : current.priorityOverride,
        delaySeconds: dto.delaySeconds ?? current.delaySeconds,
      }),
    );
    return sourceView(saved);
  }
}
