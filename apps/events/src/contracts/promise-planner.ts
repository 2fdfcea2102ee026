import { DateTime } from 'luxon';
import { rrulestr } from 'rrule';
import { ContractEventType } from '@app/shared/catalog/events-service.catalog';
import { DomainError, FieldErrors } from '@app/shared/errors/domain-error';
import { ContractBilling, MAX_EVENTS_PER_CONTRACT, ServiceCadence, ServicePromise, SparePartPromise } from '@app/shared/api/events/contracts.dto';
import { plusLocal } from './local-calendar';
import { fromCents, splitEvenly, toCents } from './money';

export interface ContractPromises {
  startDate: string;
  endDate: string;
  timezone: string;
  services?: ServicePromise[];
  spareParts?: SparePartPromise[];
  billing?: ContractBilling | null;
}

export interface PlannedEvent {
  eventType: ContractEventType;
  title: string;
  /** Local midnight of the event's day in the contract's timezone. */
  scheduledDate: Date;
  sequenceNumber: number;
  totalOccurrences: number;
  /** `service:<index>`, `part:<partId>` or `billing`: which promise the event delivers. */
  promiseKey: string;
  partId: string | null;
  promiseQty: number | null;
  amount: string | null;
  currency: string | null;
}

const TYPE_ORDER: Record<ContractEventType, number> = { service: 0, spare_part: 1, billing: 2 };

/**
 * Turns a contract's promises into the events its activation materialises, in TaskID order (by date; on
 * one day services, then parts, then billing). Pure: the same promises always give the same plan, which is
 * what the review flow shows as `eventDates` and what activation writes.
 */
export function planEvents(c: ContractPromises): PlannedEvent[] {
  const errors: FieldErrors = {};
  const add = (path: string, msg: string) => (errors[path] ??= []).push(msg);
  const start = DateTime.fromISO(c.startDate, { zone: c.timezone }).startOf('day');
  const end = DateTime.fromISO(c.endDate, { zone: c.timezone }).startOf('day');
  if (!start.isValid) add('startDate', 'startDate is not a valid date');
  if (!end.isValid) add('endDate', 'endDate is not a valid date');
  if (start.isValid && end.isValid && end < start) add('endDate', 'endDate must not be before startDate');
  if (Object.keys(errors).length) throw DomainError.validation(errors);

  const out: PlannedEvent[] = [];
  const tooMany = () => out.length > MAX_EVENTS_PER_CONTRACT;

  (c.services ?? []).forEach((s, i) => {
    const dates = serviceDates(s, start, end, (field, msg) => add(field ? `services.${i}.${field}` : `services.${i}`, msg));
    if (!dates) return;
    if (dates.length === 0) add(`services.${i}`, 'this cadence gives no visit inside the contract period');
    dates.forEach((d, k) => out.push(event('service', `${s.name} (${k + 1}/${dates.length})`, d, k + 1, dates.length, `service:${i}`, null, null, null, null)));
  });

  const partIds = new Set<string>();
  (c.spareParts ?? []).forEach((p, i) => {
    if (partIds.has(p.partId)) add(`spareParts.${i}.partId`, `part ${p.partId} is promised twice`);
    partIds.add(p.partId);
    const unlimited = p.unlimited === true;
    if (unlimited === (p.promisedQty !== undefined)) return add(`spareParts.${i}`, 'a spare part needs exactly one of promisedQty or unlimited: true');
    // Unlimited parts get no events up front: they are requested on demand (plan, decision 6).
    if (unlimited) return;
    const qty = p.promisedQty!;
    spread(start, end, qty).forEach((d, k) =>
      out.push(event('spare_part', `${p.name} (${k + 1}/${qty})`, d, k + 1, qty, `part:${p.partId}`, p.partId, qty, null, null)),
    );
  });

  if (c.billing) planBilling(c.billing, start, end, out, add);

  if (tooMany()) add('services', `a contract may have at most ${MAX_EVENTS_PER_CONTRACT} events; these promises give ${out.length}`);
  if (Object.keys(errors).length) throw DomainError.validation(errors, 'the contract promises are not valid');
  return out.sort((a, b) => a.scheduledDate.getTime() - b.scheduledDate.getTime() || TYPE_ORDER[a.eventType] - TYPE_ORDER[b.eventType] || 0);
}

/**
 * The visit days of one service promise, or null after reporting why there are none. `quantity` and
 * `every` together are a count at a cadence; `rrule` carries its own count and cadence, so it stands alone.
 */
function serviceDates(s: ServicePromise, start: DateTime, end: DateTime, add: (field: string | null, msg: string) => void): number[] | null {
  if (s.rrule !== undefined) {
    if (s.quantity !== undefined || s.every !== undefined) {
      add('rrule', 'rrule goes alone: the rule itself says how often (FREQ, INTERVAL) and how many (COUNT); drop quantity and every');
      return null;
    }
    const dates = fromRrule(start, end, s.rrule);
    if (!dates) add('rrule', 'rrule is not a valid RFC 5545 recurrence rule');
    return dates;
  }
  if (s.every && s.quantity !== undefined) {
    const dates = Array.from({ length: s.quantity }, (_, k) => step(start, s.every!, k));
    const fit = dates.filter((d) => d <= end.toMillis()).length;
    if (fit < s.quantity) {
      add(
        'quantity',
        `${s.quantity} visits every ${cadenceText(s.every)} from ${start.toISODate()} do not fit before the end date ${end.toISODate()}: ` +
          `only ${fit} do. Lower quantity, shorten the cadence or move the end date.`,
      );
      return null;
    }
    return dates;
  }
  if (s.quantity !== undefined) return spread(start, end, s.quantity);
  if (s.every) return cadence(start, end, s.every, MAX_EVENTS_PER_CONTRACT + 1);
  add(null, 'a service needs quantity (spread evenly), every (one per period), both (that many at that cadence) or rrule');
  return null;
}

function cadenceText(every: Pick<ServiceCadence, 'unit' | 'interval'>): string {
  return every.interval === 1 ? every.unit : `${every.interval} ${every.unit}s`;
}

function planBilling(b: ContractBilling, start: DateTime, end: DateTime, out: PlannedEvent[], add: (p: string, m: string) => void) {
  const push = (title: string, d: number, seq: number, total: number, amount: string) =>
    out.push(event('billing', title, d, seq, total, 'billing', null, null, amount, b.currency));
  if (b.mode === 'prepaid') {
    push('Full payment (upfront)', start.toMillis(), 1, 1, fromCents(toCents(b.total)));
  } else if (b.mode === 'emi') {
    if (!b.installments) return add('billing.installments', 'emi billing needs installments');
    const every: Pick<ServiceCadence, 'unit' | 'interval'> = b.every ?? { unit: 'month', interval: 1 };
    const dates = Array.from({ length: b.installments }, (_, k) => step(start, every, k));
    const fit = dates.filter((d) => d <= end.toMillis()).length;
    if (fit < b.installments) {
      add(
        'billing.installments',
        `${b.installments} installments every ${cadenceText(every)} do not fit before the end date ${end.toISODate()}: only ${fit} do`,
      );
    }
    const amounts = splitEvenly(b.total, b.installments);
    dates.forEach((d, k) => push(`EMI ${k + 1}/${b.installments}`, d, k + 1, b.installments!, amounts[k]));
  } else {
    if (!b.milestones?.length) return add('billing.milestones', 'schedule billing needs milestones');
    const sum = b.milestones.reduce((acc, m) => acc + toCents(m.amount), 0n);
    if (sum !== toCents(b.total)) add('billing.milestones', `milestones add up to ${fromCents(sum)}, not the total ${fromCents(toCents(b.total))}`);
    b.milestones.forEach((m, k) => {
      const d = DateTime.fromISO(m.dueDate, { zone: start.zone }).startOf('day');
      if (d < start || d > end) add(`billing.milestones.${k}.dueDate`, 'dueDate must be inside the contract period');
      push(m.title, d.toMillis(), k + 1, b.milestones!.length, fromCents(toCents(m.amount)));
    });
  }
}

function event(
  eventType: ContractEventType,
  title: string,
  d: number,
  sequenceNumber: number,
  totalOccurrences: number,
  promiseKey: string,
  partId: string | null,
  promiseQty: number | null,
  amount: string | null,
  currency: string | null,
): PlannedEvent {
  return { eventType, title, scheduledDate: new Date(d), sequenceNumber, totalOccurrences, promiseKey, partId, promiseQty, amount, currency };
}

/** n dates spread evenly over the period, the first on the start date (epoch ms of local midnights, like every date here). */
function spread(start: DateTime, end: DateTime, n: number): number[] {
  const days = Math.round(end.diff(start, 'days').days);
  return Array.from({ length: n }, (_, k) => plusLocal(start, 'day', Math.floor((k * (days + 1)) / n)));
}

/** Every `interval` units from the start (computed from the start each time, so month ends do not drift). */
function cadence(start: DateTime, end: DateTime, every: ServiceCadence, cap: number): number[] {
  const out: number[] = [];
  const last = end.toMillis();
  for (let k = 0; out.length < cap; k++) {
    const d = step(start, every, k);
    if (d > last) break;
    out.push(d);
  }
  return out;
}

function step(start: DateTime, every: Pick<ServiceCadence, 'unit' | 'interval'>, k: number): number {
  return plusLocal(start, every.unit, k * every.interval);
}

/** RRULE occurrences between start and end (inclusive), on local calendar days. */
function fromRrule(start: DateTime, end: DateTime, rule: string): number[] | null {
  // The period bounds the rule: a DTSTART of its own would contradict the contract's start.
  if (/DTSTART|\n/i.test(rule)) return null;
  try {
    // rrule works on "floating" UTC dates: feed it the local calendar days and read them back the same way.
    const floating = (d: DateTime) => new Date(Date.UTC(d.year, d.month - 1, d.day));
    const r = rrulestr(rule.replace(/^RRULE:/i, ''), { dtstart: floating(start) });
    const dates: number[] = [];
    r.between(floating(start), floating(end), true, (_d, i) => i <= MAX_EVENTS_PER_CONTRACT).forEach((d) => {
      dates.push(DateTime.fromObject({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, { zone: start.zone }).toMillis());
    });
    return dates;
  } catch {
    return null;
  }
}
