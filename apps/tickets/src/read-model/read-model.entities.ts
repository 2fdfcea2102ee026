import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What this service knows about a tenant, from TENANT_CREATED: ticket years follow its timezone. */
@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  timezone: string;

  @Column('text', { nullable: true })
  locale: string | null;
}

export interface CustomerSnapshot {
  id?: string;
  name: string;
  email?: string;
  phone?: string;
}

/** A contract as the events service announced it (CONTRACT_ACTIVATED, BOOKING_CANCELLED); never read from its schema. */
@Entity({ name: 'contract_read_models' })
export class ContractReadModel {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('text')
  contractNumber: string;

  @Column('text')
  title: string;

  @Column('jsonb')
  customer: CustomerSnapshot;

  @Column('text')
  status: string;

  @Column('text', { nullable: true })
  timezone: string | null;

  @Column('int')
  sourceVersion: number;
}

/** A contract event as the events service announced it (CONTRACT_EVENT_*). */
@Entity({ name: 'contract_event_read_models' })
export class ContractEventReadModel {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('uuid')
  contractId: string;

  @Column('text')
  eventType: string;

  @Column('text', { nullable: true })
  taskId: string | null;

  @Column('text', { nullable: true })
  title: string | null;

  @Column('text')
  status: string;

  @Column('timestamptz', { nullable: true })
  scheduledDate: Date | null;

  @Column('int')
  sourceVersion: number;
}
