import type { CheckedJson } from '../documented-answers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every uuid in an answer (ids of what was created, and of what it refers to). */
function uuidsIn(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === 'string' && UUID.test(value)) out.add(value);
  else if (Array.isArray(value)) value.forEach((v) => uuidsIn(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => uuidsIn(v, out));
  return out;
}

/**
 * Real rows for the fuzz test to find: a contract activated into events, a ticket, an appointment, a job.
 * Best effort through the public API; the ids of whatever was made are mixed into the fuzzed requests so
 * that valid ones also reach rows that exist, not only 404s.
 */
export async function seedFuzzData(api: string, headers: Record<string, string>): Promise<string[]> {
  const ids = new Set<string>();
  const send = async (method: string, path: string, body?: unknown): Promise<CheckedJson> => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => null);
    if (res.ok) uuidsIn(json, ids);
    return res.ok ? json : null;
  };
  const today = new Date();
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const contract = await send('POST', '/contracts', {
    contractNumber: `FUZZ-${Date.now()}`,
    title: 'Fuzz service contract',
    customer: { name: 'Fuzz Customer', email: 'fuzz@example.com', phone: '+919876543210' },
    startDate: day(-10),
    endDate: day(355),
    timezone: 'Asia/Kolkata',
    services: [{ name: 'Quarterly service', quantity: 4 }],
    spareParts: [{ partId: 'FILTER-1', name: 'Filter', promisedQty: 2 }],
    billing: { mode: 'prepaid', total: '1200.00', currency: 'INR' },
  });
  if (contract?.id) {
    await send('POST', `/contracts/${contract.id}/activate`);
    const events = await send('GET', `/events?contractId=${contract.id}&limit=5`);
    const serviceEvent = events?.items?.find((e: { type: string }) => e.type === 'service');
    if (serviceEvent) {
      const ticket = await send('POST', '/tickets', { contractId: contract.id, eventIds: [serviceEvent.id], assignees: [] });
      const startsAt = new Date(today.getTime() + 2 * 86_400_000).toISOString();
      const endsAt = new Date(today.getTime() + 2 * 86_400_000 + 3_600_000).toISOString();
      await send('POST', '/appointments', {
        contractId: contract.id,
        ticketId: ticket?.id,
        eventIds: [serviceEvent.id],
        startsAt,
        endsAt,
        timezone: 'Asia/Kolkata',
        location: { address: 'Site 1' },
        assignees: [],
      });
    }
  }
  await send('POST', '/jtd', {
    sourceType: 'system',
    channel: 'inapp',
    recipient: { type: 'user', id: '6f4a3c1e-2b7d-4e8f-9a0b-1c2d3e4f5a6b', name: 'Fuzz' },
    variables: { title: 'Fuzz', body: 'hello' },
  });
  return [...ids];
}
