import { Injectable } from '@nestjs/common';
import type { Actor, ChangeSource } from '@app/shared/context/actor';
import { Db, exec, many, maybeOne, one, selectList, sql } from '@app/shared/db/sql';

export interface PaymentRow {
  id: string;
  tenantId: string;
  contractId: string;
  eventId: string;
  amount: string;
  currency: string | null;
  method: string;
  reference: string | null;
  paidAt: Date;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  source: string;
  recordedAt: Date;
}

const COLUMNS = selectList(
  'p',
  [
    'id',
    'tenantId',
    'contractId',
    'eventId',
    'amount',
    'currency',
    'method',
    'reference',
    'paidAt',
    'actorType',
    'actorId',
    'actorName',
    'source',
    'recordedAt',
  ] satisfies ReadonlyArray<keyof PaymentRow>,
  { amount: 'p.amount::text' },
);

/** Money received against billing events, one row per payment. */
@Injectable()
export class PaymentRepository {
  findByReference(db: Db, tenantId: string, contractId: string, reference: string): Promise<PaymentRow | null> {
    return maybeOne(
      db,
      sql`SELECT ${COLUMNS} FROM contract_payments p WHERE p.tenant_id = ${tenantId} AND p.contract_id = ${contractId} AND p.reference = ${reference}`,
    );
  }

  /**
   * Records a payment; false when the contract already has a payment with its reference (another
   * transaction took it first: the statement decides, not a caught unique violation).
   */
  async insert(
    db: Db,
    p: {
      id: string;
      tenantId: string;
      contractId: string;
      eventId: string;
      amount: string;
      currency: string | null;
      method: string;
      reference: string | null;
      paidAt: Date;
    },
    actor: Actor,
    source: ChangeSource,
    at: Date,
  ): Promise<boolean> {
    const n = await exec(
      db,
      sql`INSERT INTO contract_payments (id, tenant_id, contract_id, event_id, amount, currency, method, reference, paid_at, actor_type, actor_id, actor_name, source, recorded_at)
          VALUES (${p.id}, ${p.tenantId}, ${p.contractId}, ${p.eventId}, ${p.amount}::numeric, ${p.currency}, ${p.method}, ${p.reference}, ${p.paidAt},
            ${actor.type}, ${actor.id}, ${actor.name}, ${source}, ${at})
          ON CONFLICT (tenant_id, contract_id, reference) WHERE reference IS NOT NULL DO NOTHING`,
    );
    return n === 1;
  }

  /** What the contract's billing events total, and what was received on them (exact decimals as text). */
  contractTotals(db: Db, tenantId: string, contractId: string): Promise<{ billed: string; paid: string }> {
    return one(
      db,
      sql`SELECT COALESCE(sum(amount), 0)::numeric(15,2)::text AS billed, COALESCE(sum(amount_settled), 0)::numeric(15,2)::text AS paid
          FROM contract_events WHERE tenant_id = ${tenantId} AND contract_id = ${contractId} AND event_type = 'billing' AND amount IS NOT NULL`,
    );
  }

  ofContract(db: Db, tenantId: string, contractId: string): Promise<PaymentRow[]> {
    return many(db, sql`SELECT ${COLUMNS} FROM contract_payments p WHERE p.tenant_id = ${tenantId} AND p.contract_id = ${contractId} ORDER BY p.seq`);
  }
}
