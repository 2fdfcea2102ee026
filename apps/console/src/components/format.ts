const DATE = { day: 'numeric', month: 'short', year: 'numeric' } as const;
const date = new Intl.DateTimeFormat(undefined, DATE);
const dateIn = new Map<string, Intl.DateTimeFormat>();
const dateTime = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

/** A calendar date (`2027-01-04`) stays that day wherever the browser is; an instant is shown in local time. */
function toDate(value: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
}

/**
 * A day. Event dates are instants at local midnight of the contract's timezone: pass it, and the day is the
 * contract's whatever the browser's zone; without it, the browser's zone decides.
 */
export function formatDate(value?: string | null, timeZone?: string): string {
  if (!value) return '—';
  if (!timeZone) return date.format(toDate(value));
  let format = dateIn.get(timeZone);
  if (!format) dateIn.set(timeZone, (format = new Intl.DateTimeFormat(undefined, { ...DATE, timeZone })));
  return format.format(toDate(value));
}

/** The month (`2027-01`) of an instant in a timezone. */
export function monthOf(value: string, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', timeZone }).formatToParts(toDate(value));
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}
export const formatDateTime = (value?: string | null) => (value ? dateTime.format(toDate(value)) : '—');
export const formatTime = (value?: string | null) => (value ? time.format(toDate(value)) : '—');
export const formatWeekday = (value: Date) => weekday.format(value);

/** `in_progress` → `In progress`, for codes that have no label of their own. */
export function humanize(code: string): string {
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const CHANNEL_LABELS: Record<string, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp', push: 'Push', inapp: 'In-app' };
export const channelLabel = (channel: string) => CHANNEL_LABELS[channel] ?? humanize(channel);

export const EVENT_TYPE_LABELS: Record<string, string> = { service: 'Service', spare_part: 'Spare part', billing: 'Billing' };

/** `3 h 12 min` for a number of seconds. */
export function formatDuration(seconds?: number | null): string {
  if (seconds === undefined || seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The local calendar date of a Date, as `YYYY-MM-DD`. */
export function isoDay(value: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}
