import { Injectable } from '@nestjs/common';
import { CheckInSettingsView, ReplaceCheckInSettingsDto } from '@app/shared/api/tickets/field-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { Clock } from '@app/shared/time/clock';
import { FieldSettingsRepository } from '../field-settings.repository';

/** How far from a visit's location a check-in may be before it is flagged (500 m until the tenant sets its own). */
@Injectable()
export class GetCheckInSettingsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly settings: FieldSettingsRepository,
  ) {}

  async execute(ctx: RequestContext, _input: unknown, db: Db = this.db.reader): Promise<CheckInSettingsView> {
    const s = await this.settings.load(db, ctx.tenantId);
    return { radiusMeters: s.checkInRadiusMeters, isTenantOverride: s.checkInRadiusOverridden };
  }
}

@Injectable()
export class ReplaceCheckInSettingsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly settings: FieldSettingsRepository,
    private readonly get: GetCheckInSettingsUseCase,
    private readonly clock: Clock,
  ) {}

  execute(ctx: RequestContext, input: ReplaceCheckInSettingsDto): Promise<CheckInSettingsView> {
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      await this.settings.lock(tx, ctx.tenantId, now);
      await this.settings.setCheckInRadius(tx, ctx.tenantId, input.radiusMeters, now);
      return this.get.execute(ctx, input, tx);
    });
  }
}
