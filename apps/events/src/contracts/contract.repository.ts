import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ContractBilling, ContractCustomer, ServicePromise, SparePartPromise } from '@app/shared/api/events/contracts.dto';
import type { ContractReviewView } from '@app/shared/api/events/contracts.views';
import { rowsOf } from '../common/sql';

export interface ContractRow {
  id: string;
  tenantId: string;
  contractNumber: string;
  title: string;
  customer: ContractCustomer;
  startDate: string;
  endDate: string;
  timezone: string;
  accountManagerId: string | null;
  services: ServicePromise[];
  spareParts: SparePartPromise[];
  billing: ContractBilling | null;
  status: string;
  /** Stored as the API shows it. */
  review: ContractReviewView;
  needsReapproval: boolean;
  totalEvents: number;
  activatedAt: Date | null;
  closedAt: Date | null;
  cancelReason: string | null;
  version: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ContractListFilter {
  status?: string;
  /** Case-insensitive, anywhere in the number, the title or the customer's name. */
  search?: string;
  /** Keyset: contracts created before (createdAt, id). */
  after?: { createdAt: Date; id: string };
  limit: number;
}

const COLUMNS = `id, tenant_id AS "tenantId", contract_number AS "contractNumber", title, customer, start_date::text AS "startDate",
  end_date::text AS "endDate", timezone, account_manager_id AS "accountManagerId", services, spare_parts AS "spareParts", billing, status,
  review, needs_reapproval AS "needsReapproval", total_events AS "totalEvents", activated_at AS "activatedAt", closed_at AS "closedAt",
  cancel_reason AS "cancelReason", version, created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class ContractRepository {
  async findById(m: EntityManager, tenantId: string, id: string, opts: { lock?: boolean } = {}): Promise<ContractRow | null> {
    const rows = await m.query(`SELECT ${COLUMNS} FROM contracts WHERE tenant_id = $1 AND id = $2 ${opts.lock ? 'FOR UPDATE' : ''}`, [tenantId, id]);
    return rows[0] ?? null;
  }

  /** The tenant's contracts among `ids`, locked in id order (so that two such locks cannot deadlock). */
  async lockMany(m: EntityManager, tenantId: string, ids: string[]): Promise<ContractRow[]> {
    return m.query(`SELECT ${COLUMNS} FROM contracts WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`, [tenantId, ids]);
  }

  async insert(m: EntityManager, c: ContractRow): Promise<void> {
    await m.query(
      `INSERT INTO contracts (id, tenant_id, contract_number, title, customer, start_date, end_date, timezone, account_manager_id, services,
         spare_parts, billing, status, review, needs_reapproval, version, created_by, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$18)
       ON CONFLICT (tenant_id, contract_number) DO NOTHING`,
      [
        c.id, c.tenantId, c.contractNumber, c.title, JSON.stringify(c.customer), c.startDate, c.endDate, c.timezone, c.accountManagerId,
        JSON.stringify(c.services), JSON.stringify(c.spareParts), c.billing ? JSON.stringify(c.billing) : null, c.status,
        JSON.stringify(c.review), c.needsReapproval, c.version, c.createdBy, c.createdAt.toISOString(),
      ],
    );
  }

  async findByNumber(m: EntityManager, tenantId: string, contractNumber: string): Promise<ContractRow | null> {
    const rows = await m.query(`SELECT ${COLUMNS} FROM contracts WHERE tenant_id = $1 AND contract_number = $2`, [tenantId, contractNumber]);
    return rows[0] ?? null;
  }

  /** Writes every mutable field and bumps the version; the caller holds the row lock. */
  async save(m: EntityManager, c: ContractRow, at: Date): Promise<ContractRow> {
    return (await this.saveMany(m, c.tenantId, [c], at))[0];
  }

  /** `save` for several contracts of one tenant in one statement; answers in the order given. */
  async saveMany(m: EntityManager, tenantId: string, cs: ContractRow[], at: Date): Promise<ContractRow[]> {
    if (cs.length === 0) return [];
    const col = <T>(f: (c: ContractRow) => T) => cs.map(f);
    const json = (v: unknown) => JSON.stringify(v);
    const rows = rowsOf<ContractRow>(
      await m.query(
        `UPDATE contracts SET title = u.n_title, customer = u.n_customer, start_date = u.n_start_date, end_date = u.n_end_date, timezone = u.n_timezone,
           account_manager_id = u.n_account_manager_id, services = u.n_services, spare_parts = u.n_spare_parts, billing = u.n_billing, status = u.n_status,
           review = u.n_review, needs_reapproval = u.n_needs_reapproval, total_events = u.n_total_events, activated_at = u.n_activated_at,
           closed_at = u.n_closed_at, cancel_reason = u.n_cancel_reason, version = version + 1, updated_at = $2
         FROM unnest($3::uuid[], $4::text[], $5::jsonb[], $6::date[], $7::date[], $8::text[], $9::uuid[], $10::jsonb[], $11::jsonb[], $12::jsonb[],
           $13::text[], $14::jsonb[], $15::boolean[], $16::int[], $17::timestamptz[], $18::timestamptz[], $19::text[])
           AS u(n_id, n_title, n_customer, n_start_date, n_end_date, n_timezone, n_account_manager_id, n_services, n_spare_parts, n_billing,
             n_status, n_review, n_needs_reapproval, n_total_events, n_activated_at, n_closed_at, n_cancel_reason)
         WHERE tenant_id = $1 AND id = u.n_id RETURNING ${COLUMNS}`,
        [
          tenantId, at.toISOString(), col((c) => c.id), col((c) => c.title), col((c) => json(c.customer)), col((c) => c.startDate), col((c) => c.endDate),
          col((c) => c.timezone), col((c) => c.accountManagerId), col((c) => json(c.services)), col((c) => json(c.spareParts)),
          col((c) => (c.billing ? json(c.billing) : null)), col((c) => c.status), col((c) => json(c.review)), col((c) => c.needsReapproval),
          col((c) => c.totalEvents), col((c) => (c.activatedAt ? new Date(c.activatedAt).toISOString() : null)),
          col((c) => (c.closedAt ? new Date(c.closedAt).toISOString() : null)), col((c) => c.cancelReason),
        ],
      ),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return cs.map((c) => byId.get(c.id)!);
  }

  async list(m: EntityManager, tenantId: string, f: ContractListFilter): Promise<ContractRow[]> {
    const params: unknown[] = [tenantId];
    const where = ['tenant_id = $1'];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.status) where.push(`status = ${p(f.status)}`);
    if (f.search) {
      // The text is matched literally: % and _ typed by a user are not wildcards.
      const pattern = p(`%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(contract_number ILIKE ${pattern} OR title ILIKE ${pattern} OR customer->>'name' ILIKE ${pattern})`);
    }
    if (f.after) where.push(`(created_at, id) < (${p(f.after.createdAt.toISOString())}::timestamptz, ${p(f.after.id)}::uuid)`);
    return m.query(`SELECT ${COLUMNS} FROM contracts WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${p(f.limit)}`, params);
  }
}
