import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CreateTenantDto } from '@app/shared/api/platform/tenants.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { TenantRepository } from './tenant.repository';

/**
 * Registers a tenant and announces it (TENANT_CREATED). Every service, this one included, seeds its own
 * per-tenant defaults when the event arrives. A platform admin importing tenants may name the id; naming
 * one that exists is a conflict, never a second TENANT_CREATED.
 */
@Injectable()
export class CreateTenantUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tenants: TenantRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CreateTenantDto) {
    const id = input.id ?? randomUUID();
    const now = this.clock.now();
    const tenant = { id, name: input.name, timezone: input.timezone, locale: input.locale ?? 'en-IN', createdAt: now.toISOString() };
    await this.db.run(async (tx) => {
      if (!(await this.tenants.insert(tx, { ...tenant, createdAt: now })))
        throw new DomainError(ErrorCode.CONFLICT, `tenant ${id} is already registered`, { id });
      // The event belongs to the new tenant; the platform admin who asked stays the actor.
      await this.outbox.append(tx, { ...ctx, tenantId: id }, [
        {
          type: 'TENANT_CREATED',
          aggregateId: id,
          aggregateVersion: 1,
          payload: { name: tenant.name, timezone: tenant.timezone, locale: tenant.locale, occurredAt: now.toISOString() },
        },
      ]);
    });
    return tenant;
  }
}
