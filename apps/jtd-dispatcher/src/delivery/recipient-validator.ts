/** What a channel needs from a recipient; an unusable recipient fails the job with this reason. */
export interface RecipientInput {
  type: string;
  id?: string | null;
  name: string;
  email?: string | null;
  phone?: string | null;
  deviceTokens?: string[] | null;
}

export type RecipientCheck = { ok: true; contact: string } | { ok: false; reason: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const E164 = /^\+[1-9]\d{7,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkRecipient(channel: string, r: RecipientInput, deadTokens: ReadonlySet<string> = new Set()): RecipientCheck {
  switch (channel) {
    case 'email':
      if (!r.email) return { ok: false, reason: 'recipient has no email address' };
      return EMAIL.test(r.email) ? { ok: true, contact: r.email } : { ok: false, reason: `invalid email address ${r.email}` };
    case 'sms':
    case 'whatsapp':
      if (!r.phone) return { ok: false, reason: 'recipient has no phone number' };
      return E164.test(r.phone) ? { ok: true, contact: r.phone } : { ok: false, reason: `phone ${r.phone} is not E.164 (+<country><number>)` };
    case 'push': {
      const live = (r.deviceTokens ?? []).filter((t) => t.length >= 20 && !deadTokens.has(t));
      if (live.length === 0) return { ok: false, reason: 'recipient has no live device token' };
      return { ok: true, contact: live[0] };
    }
    case 'inapp':
      if (!r.id || !UUID.test(r.id)) return { ok: false, reason: 'in-app messages need recipient.id (a user uuid)' };
      return { ok: true, contact: r.id };
    default:
      return { ok: false, reason: `unknown channel ${channel}` };
  }
}
