import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { BenchContext } from '../lib/context';
import { HttpError } from '../lib/http-client';
import { sleep } from '../lib/latency';
import { NotAvailable } from '../lib/result';

let contractSeq = 0;

/**
 * A contract whose only promise is `visits` service visits spread over three years that start next
 * year, so no visit is due or overdue while the bench runs (the scheduler leaves them alone).
 */
export function contractBody(visits: number, label = 'BENCH') {
  contractSeq++;
  return {
    contractNumber: `${label}-${process.pid}-${Date.now().toString(36)}-${contractSeq}`,
    title: `Bench AMC ${contractSeq} (${visits} visits)`,
    customer: { name: 'Bench Customer', email: 'bench.customer@example.com', phone: '+919876543210' },
    startDate: `${new Date().getUTCFullYear() + 1}-01-01`,
    endDate: `${new Date().getUTCFullYear() + 3}-12-31`,
    timezone: 'Asia/Kolkata',
    services: [{ name: 'Preventive maintenance visit', quantity: visits }],
    spareParts: [],
  };
}

function gateway(b: BenchContext) {
  if (!b.gateway) throw new NotAvailable('the gateway is not running');
  return b.gateway;
}

/** Turns "this route does not exist (yet)" into a NotAvailable that names the route. */
export async function route<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    // The gateway answers an unknown route with 404 "no route …" (Fastify: "Route … not found").
    if (e instanceof HttpError && (e.status === 404 || e.status === 501) && /no route|route .* not found|cannot (get|post|put|patch|delete)/i.test(e.body)) {
      throw new NotAvailable(`${what}: ${e.method} ${e.path} is not served by the gateway yet (${e.status})`);
    }
    throw e;
  }
}

export async function createContract(b: BenchContext, token: string, visits: number, label?: string): Promise<string> {
  const c = await route('create a contract', () => gateway(b).json<{ id: string }>('POST', '/v1/contracts', token, contractBody(visits, label)));
  return c.id;
}

/**
 * Activates a contract. A big activation may outlast the gateway's RPC timeout (504) while the events
 * service still commits it; activation is idempotent, so the bench then waits until the contract reads
 * `active` and answers that (`timedOutAtGateway` says it happened).
 */
export async function activateContract(b: BenchContext, token: string, contractId: string): Promise<ContractView & { timedOutAtGateway?: boolean }> {
  try {
    return await route('activate a contract', () => gateway(b).json<ContractView>('POST', `/v1/contracts/${contractId}/activate`, token, {}, 300000));
  } catch (e) {
    if (!(e instanceof HttpError && e.status === 504)) throw e;
    const contract = await eventually(
      `contract ${contractId} active after a 504`,
      async () => {
        const c = await gateway(b).json<ContractView>('GET', `/v1/contracts/${contractId}`, token);
        return c.status === 'active' ? c : undefined;
      },
      300000,
    );
    return { ...contract, timedOutAtGateway: true };
  }
}

/** Every event of a contract, following the cursor. */
export async function listEvents(b: BenchContext, token: string, query: Record<string, string>): Promise<ContractEventView[]> {
  const items: ContractEventView[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams({ ...query, limit: '200', ...(cursor ? { cursor } : {}) });
    const page = await route('list events', () => gateway(b).json<{ items: ContractEventView[]; nextCursor?: string | null }>('GET', `/v1/events?${q}`, token));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Polls until `fn` returns a value (not undefined) or the time is up. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      if (e instanceof NotAvailable) throw e;
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(200);
  }
}
