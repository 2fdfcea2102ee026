import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contract lifecycle (issue 14): every contract status change gets a history row in the shared status
 * history shape (`contract_status_history`, subject `contract_id`); renewals link the old and new contract
 * both ways; the renewal notice is sent once per contract (`renewal_notified_at`, set in the same statement
 * that picks the contract); the notice's lead time is a tenant setting; payments are rows of their own, so
 * the same reference twice is found by the unique index and partial payments add up.
 */
export class ContractLifecycle1764100000030 implements MigrationInterface {
  name = 'ContractLifecycle1764100000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE contract_status_history (
  id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  tenant_id uuid NOT NULL,
  contract_id uuid NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
  from_status text NULL,
  to_status text NOT NULL,
  actor_type text NOT NULL,
  actor_id uuid NULL,
  actor_name text NULL,
  source text NOT NULL,
  reason text NULL,
  seconds_in_previous int NULL,
  is_valid_transition boolean NOT NULL DEFAULT true,
  at timestamptz NOT NULL
);
CREATE INDEX ix_contract_status_history_contract ON contract_status_history (tenant_id, contract_id, id);

ALTER TABLE contracts ADD COLUMN renewed_from_id uuid NULL REFERENCES contracts(id);
ALTER TABLE contracts ADD COLUMN renewed_by_id uuid NULL REFERENCES contracts(id);
ALTER TABLE contracts ADD COLUMN renewal_notified_at timestamptz NULL;
-- one renewal per contract
CREATE UNIQUE INDEX uq_contracts_renewed_from ON contracts (tenant_id, renewed_from_id) WHERE renewed_from_id IS NOT NULL;
-- the scheduler's renewal notices
CREATE INDEX ix_contracts_renewal_pending ON contracts (tenant_id, end_date) WHERE status = 'active' AND renewal_notified_at IS NULL;

ALTER TABLE tenants ADD COLUMN renewal_notice_days int NOT NULL DEFAULT 30 CHECK (renewal_notice_days BETWEEN 0 AND 365);

CREATE TABLE contract_payments (
  id uuid PRIMARY KEY,
  -- the order payments were recorded in (several may share a timestamp)
  seq bigint GENERATED ALWAYS AS IDENTITY,
  tenant_id uuid NOT NULL,
  contract_id uuid NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
  event_id uuid NOT NULL REFERENCES contract_events(id) ON DELETE CASCADE,
  amount numeric(15,2) NOT NULL CHECK (amount > 0),
  currency text NULL,
  method text NOT NULL,
  reference text NULL,
  paid_at timestamptz NOT NULL,
  actor_type text NOT NULL,
  actor_id uuid NULL,
  actor_name text NULL,
  source text NOT NULL,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX ix_contract_payments_contract ON contract_payments (tenant_id, contract_id, seq);
CREATE UNIQUE INDEX uq_contract_payments_reference ON contract_payments (tenant_id, contract_id, reference) WHERE reference IS NOT NULL;
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
DROP TABLE contract_payments;
ALTER TABLE tenants DROP COLUMN renewal_notice_days;
DROP INDEX ix_contracts_renewal_pending;
DROP INDEX uq_contracts_renewed_from;
ALTER TABLE contracts DROP COLUMN renewal_notified_at;
ALTER TABLE contracts DROP COLUMN renewed_by_id;
ALTER TABLE contracts DROP COLUMN renewed_from_id;
DROP TABLE contract_status_history;
`);
  }
}
