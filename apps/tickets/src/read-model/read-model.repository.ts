import { Injectable } from '@nestjs/common';
import { Db, exec, many, maybeOne, one, selectList, sql } from '@app/shared/db/sql';
import { DomainError } from '@app/shared/errors/domain-error';

/** How long a request waits for the read model to catch up with a contract it names (see `caughtUp`). */
export const READ_MODEL_CATCH_UP_MS = 1500;

export interface CustomerSnapshot {
  id?: string;
  name: string;
  email?: string;
  phone?: string;
}

/** A contract as the events service announced it (CONTRACT_ACTIVATED, BOOKING_CANCELLED); never read from its schema. */
export interface ContractRow {
  id: string;
  tenantId: string;
  contractNumber: string;
  title: string;
  customer: CustomerSnapshot;
  status: string;
  timezone: string | null;
}

/** A contract event as the events service announced it (CONTRACT_EVENT_*). */
export interface ContractEventRow {
  id: string;
  tenantId: string;
  contractId: string;
  eventType: string;
  taskId: string | null;
  title: string | null;
  status: string;
  scheduledDate: Date | null;
}

/** What a change message tells of its event besides the change: enough to create the row if it overtook CONTRACT_EVENT_CREATED. */
type EventRef = Pick<ContractEventRow, 'id' | 'tenantId' | 'contractId' | 'eventType' | 'taskId'>;

const CONTRACT = selectList('c', ['id', 'tenantId', 'contractNumber', 'title', 'customer', 'status', 'timezone']);
const EVENT = selectList('e', ['id', 'tenantId', 'contractId', 'eventType', 'taskId', 'title', 'status', 'scheduledDate']);

/**
 * The local copies of tenants, contracts and contract events, written from the events service's domain
 * events and read by every feature; always scoped to the tenant. Each row keeps the source aggregate
 * version it reflects, and only a newer message changes it.
 */
@Injectable()
export class ReadModelRepository {
  /**
   * Waits, briefly, until the local copies know the active contract and the events a request names. They
   * follow the events service's domain events, a few milliseconds behind: a client that activates a
   * contract and opens a ticket for it at once should not be refused for that lag. Unknown ids still end
   * as NOT_FOUND (after the wait), decided by the caller's own lookups in its transaction.
   */
  async caughtUp(db: Db, tenantId: string, contractId: string | null, eventIds: readonly string[], timeoutMs = READ_MODEL_CATCH_UP_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { contract, events } = await one<{ contract: number; events: number }>(
        db,
        sql`SELECT (SELECT count(*)::int FROM contract_read_models WHERE tenant_id = ${tenantId} AND id = ${contractId}::uuid AND status = 'active') AS contract,
                   (SELECT count(*)::int FROM contract_event_read_models WHERE tenant_id = ${tenantId} AND id = ANY(${sql.array(eventIds, 'uuid')})) AS events`,
      );
      if (((contractId === null || contract === 1) && events === eventIds.length) || Date.now() >= deadline) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async contractOrFail(db: Db, tenantId: string, contractId: string): Promise<ContractRow> {
    const contract = await this.findContract(db, tenantId, contractId);
    if (!contract) throw DomainError.notFound('contract', contractId);
    return contract;
  }

  findContract(db: Db, tenantId: string, contractId: string): Promise<ContractRow | null> {
    return maybeOne<ContractRow>(db, sql`SELECT ${CONTRACT} FROM contract_read_models c WHERE c.tenant_id = ${tenantId} AND c.id = ${contractId}`);
  }

  /**
   * An event named in a request body: NOT_FOUND when the tenant has no such event (another tenant's
   * included, so that its existence shows nowhere); callers then refuse an event of the tenant that is not
   * where the request says with 422.
   */
  async eventOrFail(db: Db, tenantId: string, eventId: string): Promise<ContractEventRow> {
    const [event] = await this.events(db, tenantId, [eventId]);
    if (!event) throw DomainError.notFound('event', eventId);
    return event;
  }

  async events(db: Db, tenantId: string, ids: readonly string[]): Promise<ContractEventRow[]> {
    if (ids.length === 0) return [];
    return many<ContractEventRow>(
      db,
      sql`SELECT ${EVENT} FROM contract_event_read_models e WHERE e.tenant_id = ${tenantId} AND e.id = ANY(${sql.array(ids, 'uuid')})`,
    );
  }

  /** The tenant's timezone (from TENANT_CREATED), or null when this service has not heard of the tenant yet. */
  async tenantTimezone(db: Db, tenantId: string): Promise<string | null> {
    const tenant = await maybeOne<{ timezone: string }>(db, sql`SELECT timezone FROM tenants WHERE id = ${tenantId}`);
    return tenant?.timezone ?? null;
  }

  async saveTenant(db: Db, tenantId: string, t: { name: string; timezone: string; locale: string | null }): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO tenants (id, name, timezone, locale) VALUES (${tenantId}, ${t.name}, ${t.timezone}, ${t.locale})
          ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone, locale = EXCLUDED.locale`,
    );
  }

  /** An activated contract; a message older than the row's version leaves its status as it is. */
  async saveActiveContract(db: Db, c: Omit<ContractRow, 'status'>, sourceVersion: number): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO contract_read_models (id, tenant_id, contract_number, title, customer, status, timezone, source_version)
          VALUES (${c.id}, ${c.tenantId}, ${c.contractNumber}, ${c.title}, ${sql.json(c.customer)}, 'active', ${c.timezone}, ${sourceVersion})
          ON CONFLICT (id) DO UPDATE SET contract_number = EXCLUDED.contract_number, title = EXCLUDED.title,
            customer = EXCLUDED.customer, timezone = EXCLUDED.timezone,
            status = CASE WHEN contract_read_models.source_version > EXCLUDED.source_version THEN contract_read_models.status ELSE 'active' END,
            source_version = GREATEST(contract_read_models.source_version, EXCLUDED.source_version), updated_at = now()
          WHERE contract_read_models.tenant_id = EXCLUDED.tenant_id`,
    );
  }

  /**
   * A cancelled contract. The cancellation may overtake the activation (they travel on different routing
   * keys): then a placeholder row keeps the cancellation and its newer version, and the late activation
   * only fills in the contract's number, title and customer.
   */
  async cancelContract(db: Db, tenantId: string, contractId: string, sourceVersion: number): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO contract_read_models (id, tenant_id, contract_number, title, customer, status, source_version)
          VALUES (${contractId}, ${tenantId}, '', '', '{}'::jsonb, 'cancelled', ${sourceVersion}::int)
          ON CONFLICT (id) DO UPDATE SET status = 'cancelled',
            source_version = GREATEST(contract_read_models.source_version, EXCLUDED.source_version), updated_at = now()
          WHERE contract_read_models.tenant_id = EXCLUDED.tenant_id`,
    );
  }

  /** A later status of a known contract; a message older than the row's version changes nothing. */
  async setContractStatus(db: Db, tenantId: string, contractId: string, status: string, sourceVersion: number): Promise<void> {
    await exec(
      db,
      sql`UPDATE contract_read_models SET status = ${status}, source_version = ${sourceVersion}::int, updated_at = now()
          WHERE tenant_id = ${tenantId} AND id = ${contractId} AND source_version <= ${sourceVersion}::int`,
    );
  }

  /**
   * Contract events as their creation announced them (CONTRACT_EVENTS_CREATED, CONTRACT_EVENT_CREATED), in
   * one statement for the lot (an activation announces hundreds at once): creates each row, or fills in what
   * an earlier (overtaking) status change left out. Each row keeps what a newer message already set; a row of another tenant
   * with the same id is left alone. One id twice in one call fails the statement (Postgres updates a row once
   * per statement); the consumer then handles the messages one by one.
   */
  async saveCreatedEvents(
    db: Db,
    events: ReadonlyArray<{ event: Omit<ContractEventRow, 'scheduledDate'> & { scheduledDate: string | null }; sourceVersion: number }>,
  ): Promise<void> {
    if (events.length === 0) return;
    const col = (f: (e: (typeof events)[number]) => unknown, type: string) => sql.array(events.map(f), type);
    await exec(
      db,
      sql`INSERT INTO contract_event_read_models (id, tenant_id, contract_id, event_type, task_id, title, status, scheduled_date, source_version)
          SELECT * FROM unnest(${sql.join([
            col((e) => e.event.id, 'uuid'),
            col((e) => e.event.tenantId, 'uuid'),
            col((e) => e.event.contractId, 'uuid'),
            col((e) => e.event.eventType, 'text'),
            col((e) => e.event.taskId, 'text'),
            col((e) => e.event.title, 'text'),
            col((e) => e.event.status, 'text'),
            col((e) => e.event.scheduledDate, 'timestamptz'),
            col((e) => e.sourceVersion, 'int'),
          ])})
          ON CONFLICT (id) DO UPDATE SET
            task_id = COALESCE(contract_event_read_models.task_id, EXCLUDED.task_id),
            title = COALESCE(contract_event_read_models.title, EXCLUDED.title),
            scheduled_date = CASE WHEN contract_event_read_models.source_version > EXCLUDED.source_version
              THEN COALESCE(contract_event_read_models.scheduled_date, EXCLUDED.scheduled_date) ELSE EXCLUDED.scheduled_date END,
            status = CASE WHEN contract_event_read_models.source_version > EXCLUDED.source_version
              THEN contract_event_read_models.status ELSE EXCLUDED.status END,
            source_version = GREATEST(contract_event_read_models.source_version, EXCLUDED.source_version),
            updated_at = now()
          WHERE contract_event_read_models.tenant_id = EXCLUDED.tenant_id`,
    );
  }

  /**
   * New statuses of events (STATUS_CHANGED, DUE, OVERDUE) delivered together, in one statement. Several
   * changes of one event are first reduced to what applying them one by one would leave: the status of the
   * highest version, the first task id given. A row is created when a change overtakes
   * CONTRACT_EVENT_CREATED; a row of another tenant with the same id is left alone. One id under two tenants
   * in one call fails the statement (Postgres updates a row once per statement); the consumer then handles
   * the messages one by one.
   */
  async saveStatusChanges(db: Db, changes: ReadonlyArray<{ event: EventRef; status: string; sourceVersion: number }>): Promise<void> {
    const latest = new Map<string, (typeof changes)[number]>();
    for (const c of changes) {
      const key = `${c.event.tenantId}|${c.event.id}`;
      const seen = latest.get(key);
      if (!seen) latest.set(key, c);
      else {
        const newer = c.sourceVersion > seen.sourceVersion ? c : seen;
        latest.set(key, { ...newer, event: { ...newer.event, taskId: seen.event.taskId ?? c.event.taskId } });
      }
    }
    const rows = [...latest.values()];
    if (rows.length === 0) return;
    const col = (f: (c: (typeof rows)[number]) => unknown, type: string) => sql.array(rows.map(f), type);
    await exec(
      db,
      sql`INSERT INTO contract_event_read_models (id, tenant_id, contract_id, event_type, task_id, status, source_version)
          SELECT * FROM unnest(${sql.join([
            col((c) => c.event.id, 'uuid'),
            col((c) => c.event.tenantId, 'uuid'),
            col((c) => c.event.contractId, 'uuid'),
            col((c) => c.event.eventType, 'text'),
            col((c) => c.event.taskId, 'text'),
            col((c) => c.status, 'text'),
            col((c) => c.sourceVersion, 'int'),
          ])})
          ON CONFLICT (id) DO UPDATE SET
            status = CASE WHEN EXCLUDED.source_version > contract_event_read_models.source_version
              THEN EXCLUDED.status ELSE contract_event_read_models.status END,
            task_id = COALESCE(contract_event_read_models.task_id, EXCLUDED.task_id),
            source_version = GREATEST(contract_event_read_models.source_version, EXCLUDED.source_version),
            updated_at = now()
          WHERE contract_event_read_models.tenant_id = EXCLUDED.tenant_id`,
    );
  }

  /** A newer date of an event (a row is created when the change overtakes CONTRACT_EVENT_CREATED). */
  async saveEventDate(db: Db, e: EventRef, scheduledDate: string, sourceVersion: number): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO contract_event_read_models (id, tenant_id, contract_id, event_type, task_id, status, scheduled_date, source_version)
          VALUES (${e.id}, ${e.tenantId}, ${e.contractId}, ${e.eventType}, ${e.taskId}, 'scheduled', ${scheduledDate}::timestamptz, ${sourceVersion})
          ON CONFLICT (id) DO UPDATE SET
            scheduled_date = CASE WHEN EXCLUDED.source_version > contract_event_read_models.source_version
              THEN EXCLUDED.scheduled_date ELSE contract_event_read_models.scheduled_date END,
            task_id = COALESCE(contract_event_read_models.task_id, EXCLUDED.task_id),
            source_version = GREATEST(contract_event_read_models.source_version, EXCLUDED.source_version),
            updated_at = now()
          WHERE contract_event_read_models.tenant_id = EXCLUDED.tenant_id`,
    );
  }
}
