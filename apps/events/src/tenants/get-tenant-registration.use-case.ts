import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantRegistrationView } from '@app/shared/api/platform/tenants.dto';

/** Answers the gateway's question before it serves a tenant: is this tenant in the registry? */
@Injectable()
export class GetTenantRegistrationUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(id: string): Promise<TenantRegistrationView> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM tenants WHERE id = $1`, [id]);
    return { id, registered: rows.length > 0 };
  }
}
