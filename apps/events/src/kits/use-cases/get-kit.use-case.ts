import { Injectable } from '@nestjs/common';
import { KitParams } from '@app/shared/api/events/kits.dto';
import type { KitView } from '@app/shared/api/events/kits.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { KitRepository } from '../kit.repository';
import { kitView } from '../kit.view';

@Injectable()
export class GetKitUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly kits: KitRepository,
  ) {}

  async execute(ctx: RequestContext, input: KitParams): Promise<KitView> {
    const db = this.db.reader;
    const k = await this.kits.find(db, ctx.tenantId, input.id);
    if (!k) throw DomainError.notFound('kit', input.id);
    return kitView(k, (await this.kits.latestAssignments(db, ctx.tenantId, [k.id])).get(k.id));
  }
}
