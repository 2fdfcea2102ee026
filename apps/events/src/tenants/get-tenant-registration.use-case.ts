import { Injectable } from '@nestjs/common';
import { TenantRegistrationView } from '@app/shared/api/platform/tenants.dto';
import { Transactions } from '@app/shared/db/transactions';
import { TenantRepository } from './tenant.repository';

/** Answers the gateway's question before it serves a tenant: is this tenant in the registry? */
@Injectable()
export class GetTenantRegistrationUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tenants: TenantRepository,
  ) {}

  async execute(id: string): Promise<TenantRegistrationView> {
    return { id, registered: await this.tenants.exists(this.db.reader, id) };
  }
}
