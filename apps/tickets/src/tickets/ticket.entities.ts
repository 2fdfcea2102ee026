import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface TicketAssignee {
  userId: string;
  name?: string;
  role: string;
}

@Entity({ name: 'service_tickets' })
export class ServiceTicketEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('text')
  ticketNumber: string;

  @Column('uuid')
  contractId: string;

  @Column('text')
  status: string;

  @Column('timestamptz')
  statusChangedAt: Date;

  @Column('jsonb')
  assignees: TicketAssignee[];

  @Column('timestamptz', { nullable: true })
  scheduledFor: Date | null;

  @Column('timestamptz', { nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  cancelledAt: Date | null;

  @Column('text', { nullable: true })
  notes: string | null;

  @Column('uuid')
  createdBy: string;

  @Column('text')
  createdByName: string;

  @Column('int')
  version: number;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  updatedAt: Date;
}

/** The events a ticket groups; `isOpen` follows the ticket so an event sits on one open ticket at most. */
@Entity({ name: 'service_ticket_events' })
export class ServiceTicketEventEntity {
  @PrimaryColumn('uuid')
  ticketId: string;

  @PrimaryColumn('uuid')
  eventId: string;

  @Column('uuid')
  tenantId: string;

  @Column('text')
  eventType: string;

  @Column('boolean')
  isOpen: boolean;
}

/** Status history of tickets and appointments: from, to, who, why, and time spent in the previous status. */
@Entity({ name: 'status_history' })
export class StatusHistoryEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('text')
  entityType: 'ticket' | 'appointment';

  @Column('uuid')
  entityId: string;

  @Column('text', { nullable: true })
  fromStatus: string | null;

  @Column('text')
  toStatus: string;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('jsonb')
  actor: { type: string; id: string; name: string };

  @Column('int', { nullable: true })
  secondsInPrevious: number | null;

  @Column('timestamptz')
  at: Date;
}
