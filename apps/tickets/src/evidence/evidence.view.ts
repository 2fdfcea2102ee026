import { EvidenceView } from '@app/shared/api/tickets/evidence.dto';
import { EvidenceRow } from './evidence.repository';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** What clients see of evidence: never the OTP hash, nor where the file sits in storage. */
export function toEvidenceView(e: EvidenceRow): EvidenceView {
  return {
    id: e.id,
    ticketId: e.ticketId,
    eventId: e.eventId,
    type: e.type,
    status: e.status,
    label: e.label,
    description: e.description,
    // The sha256 is set exactly when a file was stored, with its name, size and type.
    file: e.sha256 ? { fileName: e.fileName!, size: e.fileSize!, contentType: e.contentType!, sha256: e.sha256 } : null,
    formData: e.formData,
    note: e.note,
    otp:
      e.type === 'otp'
        ? {
            channel: e.otpChannel!,
            sentTo: maskPhone(e.otpSentTo),
            expiresAt: iso(e.otpExpiresAt),
            attempts: e.otpAttempts,
            locked: e.otpLockedAt !== null,
            verifiedAt: iso(e.otpVerifiedAt),
          }
        : null,
    rejectionReason: e.rejectionReason,
    uploadedBy: { id: e.uploadedBy, name: e.uploadedByName },
    reviewedBy: e.reviewedBy ? { id: e.reviewedBy, name: e.reviewedByName ?? '' } : null,
    reviewedAt: iso(e.reviewedAt),
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  return phone.length <= 4 ? '****' : `${'*'.repeat(phone.length - 4)}${phone.slice(-4)}`;
}
