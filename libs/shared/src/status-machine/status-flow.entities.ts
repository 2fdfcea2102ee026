import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Status definitions and transitions, as data, in each service's own schema. `tenantId` null marks the
 * system defaults; a tenant's rows for a machine replace the defaults for that machine as a whole.
 * `machine` names the flow: `contract_event:service`, `ticket`, `appointment`, `jtd:notification`, …
 */
@Entity({ name: 'status_definitions' })
@Index(['tenantId', 'machine', 'code'], { unique: true, where: 'tenant_id IS NOT NULL' })
@Index(['machine', 'code'], { unique: true, where: 'tenant_id IS NULL' })
export class StatusDefinitionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  tenantId: string | null;

  @Column({ type: 'text' })
  machine: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'text', nullable: true })
  color: string | null;

  @Column({ type: 'text', nullable: true })
  icon: string | null;

  @Column({ type: 'int', name: 'display_order' })
  order: number;

  @Column({ type: 'boolean', default: false })
  isInitial: boolean;

  @Column({ type: 'boolean', default: false })
  isTerminal: boolean;

  @Column({ type: 'text', nullable: true })
  category: string | null;

  /** system | tenant | vani: who wrote this row. */
  @Column({ type: 'text', default: 'system' })
  source: string;
}

@Entity({ name: 'status_transitions' })
@Index(['tenantId', 'machine', 'fromStatus', 'toStatus'], { unique: true, where: 'tenant_id IS NOT NULL' })
@Index(['machine', 'fromStatus', 'toStatus'], { unique: true, where: 'tenant_id IS NULL' })
export class StatusTransitionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  tenantId: string | null;

  @Column({ type: 'text' })
  machine: string;

  @Column({ type: 'text' })
  fromStatus: string;

  @Column({ type: 'text' })
  toStatus: string;

  @Column({ type: 'boolean', default: false })
  requiresReason: boolean;

  @Column({ type: 'boolean', default: false })
  requiresEvidence: boolean;

  @Column({ type: 'boolean', default: false })
  isAutomatic: boolean;
}

export const STATUS_FLOW_ENTITIES = [StatusDefinitionEntity, StatusTransitionEntity];
