import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** A six-digit code from the CSPRNG. */
export function generateOtp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** HMAC keyed by the service secret and salted with the evidence id: the stored value is useless without both. */
export function hashOtp(secret: string, evidenceId: string, code: string): string {
  return createHmac('sha256', secret).update(`${evidenceId}:${code}`).digest('hex');
}

export function otpMatches(secret: string, evidenceId: string, code: string, hash: string): boolean {
  const a = Buffer.from(hashOtp(secret, evidenceId, code), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
