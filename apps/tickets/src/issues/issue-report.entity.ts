import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'issue_reports' })
export class IssueReportEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('uuid')
  contractId: string;

  @Column('uuid', { nullable: true })
  ticketId: string | null;

  @Column('uuid', { nullable: true })
  appointmentId: string | null;

  @Column('uuid', { nullable: true })
  eventId: string | null;

  @Column('text')
  type: string;

  @Column('text')
  severity: string;

  @Column('text')
  description: string;

  /** The seed's name; the column kept its first one. */
  @Column('text', { name: 'immediate_action', nullable: true })
  immediateActionTaken: string | null;

  @Column('uuid')
  reportedBy: string;

  @Column('text')
  reportedByName: string;

  @Column('timestamptz')
  reportedAt: Date;
}
