import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'evidence' })
export class EvidenceEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('uuid')
  ticketId: string;

  @Column('uuid', { nullable: true })
  eventId: string | null;

  @Column('text')
  type: string;

  @Column('text')
  status: string;

  @Column('text', { nullable: true })
  label: string | null;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('text', { nullable: true })
  storageKey: string | null;

  @Column('text', { nullable: true })
  fileName: string | null;

  @Column('bigint', { nullable: true, transformer: { to: (v?: number | null) => v, from: (v?: string | null) => (v == null ? null : Number(v)) } })
  fileSize: number | null;

  @Column('text', { nullable: true })
  contentType: string | null;

  @Column('text', { nullable: true })
  sha256: string | null;

  @Column('jsonb', { nullable: true })
  formData: Record<string, unknown> | null;

  @Column('text', { nullable: true })
  note: string | null;

  /** HMAC of the code; the code itself is never stored nor returned. */
  @Column('text', { nullable: true })
  otpHash: string | null;

  @Column('text', { nullable: true })
  otpChannel: string | null;

  @Column('text', { nullable: true })
  otpSentTo: string | null;

  @Column('timestamptz', { nullable: true })
  otpExpiresAt: Date | null;

  @Column('int')
  otpAttempts: number;

  @Column('timestamptz', { nullable: true })
  otpLockedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  otpVerifiedAt: Date | null;

  @Column('text', { nullable: true })
  rejectionReason: string | null;

  @Column('uuid')
  uploadedBy: string;

  @Column('text')
  uploadedByName: string;

  @Column('uuid', { nullable: true })
  reviewedBy: string | null;

  @Column('text', { nullable: true })
  reviewedByName: string | null;

  @Column('timestamptz', { nullable: true })
  reviewedAt: Date | null;

  @Column('int')
  version: number;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  updatedAt: Date;
}
