import { Injectable } from '@nestjs/common';
import { Db, exec, many, maybeOne, one, selectList, sql } from '@app/shared/db/sql';
import type { ContractBilling, ContractCustomer, ServicePromise, SparePartPromise } from '@app/shared/api/events/contracts.dto';
import type { ContractReviewView } from '@app/shared/api/events/contracts.views';

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
  /** The contract this one renews (a renewal draft). */
  renewedFromId: string | null;
  /** The renewal drafted from this contract. */
  renewedById: string | null;
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

export const DEFAULT_RENEWAL_NOTICE_DAYS = 30;

const COLUMNS = selectList(
  null,
  [
    'id',
    'tenantId',
    'contractNumber',
    'title',
    'customer',
    'startDate',
    'endDate',
    'timezone',
    'accountManagerId',
    'services',
    'spareParts',
    'billing',
    'status',
    'review',
    'needsReapproval',
    'totalEvents',
    'activatedAt',
    'closedAt',
    'cancelReason',
    'renewedFromId',
    'renewedById',
    'version',
    'createdBy',
    'createdAt',
    'updatedAt',
  ] satisfies ReadonlyArray<keyof ContractRow>,
  { startDate: 'start_date::text', endDate: 'end_date::text' },
);

@Injectable()
export class ContractRepository {
  findById(db: Db, tenantId: string, id: string, opts: { lock?: boolean } = {}): Promise<ContractRow | null> {
    return maybeOne(db, sql`SELECT ${COLUMNS} FROM contracts WHERE tenant_id = ${tenantId} AND id = ${id} ${opts.lock ? sql`FOR UPDATE` : sql.empty}`);
  }

  /** The tenant's contracts among `ids`, locked in id order (so that two such locks cannot deadlock). */
  lockMany(db: Db, tenantId: string, ids: string[]): Promise<ContractRow[]> {
    return many(db, sql`SELECT ${COLUMNS} FROM contracts WHERE tenant_id = ${tenantId} AND id = ANY(${sql.array(ids, 'uuid')}) ORDER BY id FOR UPDATE`);
  }

  /** Inserts a draft; false when the tenant already has a contract with its number. */
  async insert(db: Db, c: ContractRow): Promise<boolean> {
    const inserted = await exec(
      db,
      sql`INSERT INTO contracts (id, tenant_id, contract_number, title, customer, start_date, end_date, timezone, account_manager_id, services,
         spare_parts, billing, status, review, needs_reapproval, renewed_from_id, version, created_by, created_at, updated_at)
       VALUES (${c.id}, ${c.tenantId}, ${c.contractNumber}, ${c.title}, ${sql.json(c.customer)}, ${c.startDate}, ${c.endDate}, ${c.timezone},
         ${c.accountManagerId}, ${sql.json(c.services)}, ${sql.json(c.spareParts)}, ${sql.json(c.billing)}, ${c.status}, ${sql.json(c.review)},
         ${c.needsReapproval}, ${c.renewedFromId}, ${c.version}, ${c.createdBy}, ${c.createdAt}, ${c.createdAt})
       ON CONFLICT (tenant_id, contract_number) DO NOTHING`,
    );
    return inserted === 1;
  }

  findByNumber(db: Db, tenantId: string, contractNumber: string): Promise<ContractRow | null> {
    return maybeOne(db, sql`SELECT ${COLUMNS} FROM contracts WHERE tenant_id = ${tenantId} AND contract_number = ${contractNumber}`);
  }

  /** Writes every mutable field and bumps the version; the caller holds the row lock. */
  async save(db: Db, c: ContractRow, at: Date): Promise<ContractRow> {
    return (await this.saveMany(db, c.tenantId, [c], at))[0];
  }

  /** `save` for several contracts of one tenant in one statement; answers in the order given. */
  async saveMany(db: Db, tenantId: string, cs: ContractRow[], at: Date): Promise<ContractRow[]> {
    if (cs.length === 0) return [];
    const col = <T>(f: (c: ContractRow) => T, type: string) => sql.array(cs.map(f), type);
    const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
    const time = (v: Date | string | null) => (v ? new Date(v) : null);
    const rows = await many<ContractRow>(
      db,
      sql`UPDATE contracts SET title = u.n_title, customer = u.n_customer, start_date = u.n_start_date, end_date = u.n_end_date, timezone = u.n_timezone,
           account_manager_id = u.n_account_manager_id, services = u.n_services, spare_parts = u.n_spare_parts, billing = u.n_billing, status = u.n_status,
           review = u.n_review, needs_reapproval = u.n_needs_reapproval, total_events = u.n_total_events, activated_at = u.n_activated_at,
           closed_at = u.n_closed_at, cancel_reason = u.n_cancel_reason, version = version + 1, updated_at = ${at}
         FROM unnest(${sql.join([
           col((c) => c.id, 'uuid'),
           col((c) => c.title, 'text'),
           col((c) => json(c.customer), 'jsonb'),
           col((c) => c.startDate, 'date'),
           col((c) => c.endDate, 'date'),
           col((c) => c.timezone, 'text'),
           col((c) => c.accountManagerId, 'uuid'),
           col((c) => json(c.services), 'jsonb'),
           col((c) => json(c.spareParts), 'jsonb'),
           col((c) => json(c.billing), 'jsonb'),
           col((c) => c.status, 'text'),
           col((c) => json(c.review), 'jsonb'),
           col((c) => c.needsReapproval, 'boolean'),
           col((c) => c.totalEvents, 'int'),
           col((c) => time(c.activatedAt), 'timestamptz'),
           col((c) => time(c.closedAt), 'timestamptz'),
           col((c) => c.cancelReason, 'text'),
         ])})
           AS u(n_id, n_title, n_customer, n_start_date, n_end_date, n_timezone, n_account_manager_id, n_services, n_spare_parts, n_billing,
             n_status, n_review, n_needs_reapproval, n_total_events, n_activated_at, n_closed_at, n_cancel_reason)
         WHERE tenant_id = ${tenantId} AND id = u.n_id RETURNING ${COLUMNS}`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return cs.map((c) => byId.get(c.id)!);
  }

  /** Links a contract to the renewal drafted from it; answers the contract's new version. */
  async linkRenewal(db: Db, tenantId: string, id: string, renewalId: string, at: Date): Promise<number> {
    const row = await one<{ version: number }>(
      db,
      sql`UPDATE contracts SET renewed_by_id = ${renewalId}, version = version + 1, updated_at = ${at} WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING version`,
    );
    return row.version;
  }

  /** The tenant's renewal notice lead time, in days (the default, 30, until the tenant sets it). */
  async renewalNoticeDays(db: Db, tenantId: string): Promise<number> {
    return (
      (await maybeOne<{ days: number }>(db, sql`SELECT renewal_notice_days AS days FROM tenants WHERE id = ${tenantId}`))?.days ?? DEFAULT_RENEWAL_NOTICE_DAYS
    );
  }

  async setRenewalNoticeDays(db: Db, tenantId: string, days: number): Promise<void> {
    await exec(db, sql`UPDATE tenants SET renewal_notice_days = ${days} WHERE id = ${tenantId}`);
  }

  /** One more event on the contract (an on-demand one). */
  async countAddedEvent(db: Db, tenantId: string, id: string): Promise<void> {
    await exec(db, sql`UPDATE contracts SET total_events = total_events + 1 WHERE tenant_id = ${tenantId} AND id = ${id}`);
  }

  list(db: Db, tenantId: string, f: ContractListFilter): Promise<ContractRow[]> {
    const where = [sql`tenant_id = ${tenantId}`];
    if (f.status) where.push(sql`status = ${f.status}`);
    if (f.search) {
      // The text is matched literally: % and _ typed by a user are not wildcards.
      const pattern = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(sql`(contract_number ILIKE ${pattern} OR title ILIKE ${pattern} OR customer->>'name' ILIKE ${pattern})`);
    }
    if (f.after) where.push(sql`(created_at, id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)`);
    return many(db, sql`SELECT ${COLUMNS} FROM contracts WHERE ${sql.join(where, ' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${f.limit}`);
  }
}
