import { Injectable } from '@nestjs/common';
import { EvidenceTypesView, ReplaceEvidenceTypesDto } from '@app/shared/api/tickets/field-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { Clock } from '@app/shared/time/clock';
import { assertKeepsUsed, DEFAULT_EVIDENCE_TYPES, evidenceTypeViews, planEvidenceTypes } from '../evidence-types';
import { FieldSettingsRepository } from '../field-settings.repository';

/** The tenant's evidence types (the six built-in ones until it sets its own). */
@Injectable()
export class GetEvidenceTypesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly settings: FieldSettingsRepository,
  ) {}

  async execute(ctx: RequestContext, _input: unknown, db: Db = this.db.reader): Promise<EvidenceTypesView> {
    const s = await this.settings.load(db, ctx.tenantId);
    return { types: evidenceTypeViews(s.evidenceTypes), isTenantOverride: s.evidenceTypesOverridden };
  }
}

/** Replaces the tenant's list as a whole; a type recorded evidence uses stays (disabled if need be). */
@Injectable()
export class ReplaceEvidenceTypesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly settings: FieldSettingsRepository,
    private readonly get: GetEvidenceTypesUseCase,
    private readonly clock: Clock,
  ) {}

  execute(ctx: RequestContext, input: ReplaceEvidenceTypesDto): Promise<EvidenceTypesView> {
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      await this.settings.lock(tx, ctx.tenantId, now);
      const types = planEvidenceTypes(input.types, await this.settings.evidenceTypesInUse(tx, ctx.tenantId));
      await this.settings.setEvidenceTypes(tx, ctx.tenantId, types, now);
      return this.get.execute(ctx, input, tx);
    });
  }
}

/** Back to the built-in list; refused (422 TYPE_IN_USE) while evidence of one of the tenant's own types is recorded. */
@Injectable()
export class ResetEvidenceTypesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly settings: FieldSettingsRepository,
    private readonly get: GetEvidenceTypesUseCase,
    private readonly clock: Clock,
  ) {}

  execute(ctx: RequestContext, input: unknown): Promise<EvidenceTypesView> {
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      await this.settings.lock(tx, ctx.tenantId, now);
      assertKeepsUsed(DEFAULT_EVIDENCE_TYPES, await this.settings.evidenceTypesInUse(tx, ctx.tenantId));
      await this.settings.setEvidenceTypes(tx, ctx.tenantId, null, now);
      return this.get.execute(ctx, input, tx);
    });
  }
}
