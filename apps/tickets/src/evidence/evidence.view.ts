import { EvidenceEntity } from './evidence.entity';

/** What clients see of evidence: never the OTP hash, nor where the file sits in storage. */
export function toEvidenceView(e: EvidenceEntity) {
  return {
    id: e.id,
    ticketId: e.ticketId,
    eventId: e.eventId,
    type: e.type,
    status: e.status,
    label: e.label,
    description: e.description,
    file: e.sha256 ? { fileName: e.fileName, size: e.fileSize, contentType: e.contentType, sha256: e.sha256 } : null,
    formData: e.formData,
    note: e.note,
    otp:
      e.type === 'otp'
        ? {
            channel: e.otpChannel,
            sentTo: maskPhone(e.otpSentTo),
            expiresAt: e.otpExpiresAt?.toISOString() ?? null,
            attempts: e.otpAttempts,
            locked: e.otpLockedAt !== null,
            verifiedAt: e.otpVerifiedAt?.toISOString() ?? null,
          }
        : null,
    rejectionReason: e.rejectionReason,
    uploadedBy: { id: e.uploadedBy, name: e.uploadedByName },
    reviewedBy: e.reviewedBy ? { id: e.reviewedBy, name: e.reviewedByName } : null,
    reviewedAt: e.reviewedAt?.toISOString() ?? null,
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  return phone.length <= 4 ? '****' : `${'*'.repeat(phone.length - 4)}${phone.slice(-4)}`;
}
