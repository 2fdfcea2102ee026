// Steady load for `npm run chaos`: workers run the same business story over and over through both gateways
// (requests alternate between them): draft a contract, activate it, move one of its visits, open a ticket for
// another, book an appointment for it, and send a JTD email live. Every write carries an Idempotency-Key and is
// retried the way a careful client retries (same key on 5xx, 504, 503, 429, a cut connection, 409 "in
// progress"); when it cannot tell whether a request took effect it looks first (GET), and only then sends it
// again with a new key. Every attempt is recorded (time, operation, status, latency) for the per-fault figures.
const { randomUUID } = require('node:crypto');
const { signDevToken } = require('../../../libs/dev/dev-token');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Recorder {
  constructor() {
    this.attempts = [];
  }

  add(a) {
    this.attempts.push(a);
  }
}

/** One tenant's HTTP client over every gateway replica (round robin; a retry goes to the next one). */
class Client {
  constructor({ gateways, token, recorder, timeoutMs = 15000 }) {
    this.gateways = gateways;
    this.token = token;
    this.recorder = recorder;
    this.timeoutMs = timeoutMs;
    this.next = Math.floor(Math.random() * gateways.length);
  }

  async http(op, method, path, body, key) {
    const base = this.gateways[this.next++ % this.gateways.length];
    const started = Date.now();
    let status;
    let json;
    try {
      const res = await fetch(`${base}/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      const text = await res.text();
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = { raw: text.slice(0, 200) };
      }
    } catch (e) {
      status = e && e.name === 'TimeoutError' ? 'timeout' : 'network';
      json = { error: String(e && e.cause ? e.cause.code || e.cause.message : e && e.message) };
    }
    const ms = Date.now() - started;
    this.recorder.add({ at: started, ms, op, status, ok: typeof status === 'number' && status < 400 });
    return { status, body: json, ms };
  }
}

const retryable = (r) => typeof r.status !== 'number' || r.status >= 500 || r.status === 429 || isInProgress(r);
const isInProgress = (r) => r.status === 409 && /in progress/i.test(String(r.body && (r.body.detail || r.body.message || r.body.title || '')));
// A cut connection, a 5xx or a 504 may come after the service committed: the outcome is unknown.
const ambiguousOutcome = (r) => typeof r.status !== 'number' || r.status >= 500 || isInProgress(r);

/**
 * Runs one write until it is accepted, rejected for good, or `deadlineMs` passes. `lookup()` answers the
 * effect when it exists (used once the outcome is unknown); `lagging(r)` says a 4xx means "not caught up yet".
 */
async function step(client, op, { method, path, body, lookup, lagging = () => false, deadlineMs = 120000, stopped = () => false }) {
  let key = randomUUID();
  const deadline = Date.now() + deadlineMs;
  let unknownSince;
  let tries = 0;
  while (Date.now() < deadline) {
    tries++;
    if (unknownSince !== undefined && lookup) {
      const found = await lookup().catch(() => undefined);
      if (found) return { outcome: 'accepted', body: found, viaLookup: true, tries };
      // The first request may still be queued at the service (its gateway died): give it time before a new key.
      if (Date.now() - unknownSince > 12000) {
        key = randomUUID();
        unknownSince = undefined;
      }
    }
    const r = await client.http(op, method, path, body, key);
    if (typeof r.status === 'number' && r.status >= 200 && r.status < 300) return { outcome: 'accepted', body: r.body, tries };
    if (ambiguousOutcome(r) && unknownSince === undefined) unknownSince = Date.now();
    if (retryable(r) || lagging(r)) {
      if (stopped() && Date.now() > deadline - deadlineMs / 2) break;
      await sleep(Math.min(2000, 150 * 2 ** Math.min(tries, 4)));
      continue;
    }
    // A definite 4xx: when an earlier try may have taken effect, it is the effect we are looking at.
    if (unknownSince !== undefined && lookup) {
      const found = await lookup().catch(() => undefined);
      if (found) return { outcome: 'accepted', body: found, viaLookup: true, tries };
    }
    return { outcome: 'rejected', status: r.status, body: r.body, tries };
  }
  return { outcome: 'abandoned', tries };
}

let storySeq = 0;

/** One pass of the business story; returns what was accepted, for the checks. */
async function story(client, tenant, stopped) {
  const n = ++storySeq;
  const year = new Date().getUTCFullYear() + 1;
  const s = { n, tenantId: tenant.id, contractNumber: `CHAOS-${process.pid}-${n}-${randomUUID().slice(0, 8)}`, steps: {} };
  s.customerEmail = `chaos-contract-${randomUUID()}@example.com`;
  const record = (name, r) => {
    s.steps[name] = r.viaLookup ? 'accepted-after-lookup' : r.outcome;
    if (r.outcome === 'rejected')
      s.rejection = { step: name, status: r.status, code: r.body?.code, detail: String(r.body?.detail ?? r.body?.message ?? '').slice(0, 200) };
    return r.outcome === 'accepted';
  };

  const created = await step(client, 'createContract', {
    method: 'POST',
    path: '/contracts',
    body: {
      contractNumber: s.contractNumber,
      title: `Chaos AMC ${n}`,
      customer: { name: 'Chaos Customer', email: s.customerEmail, phone: '+919876543210' },
      startDate: `${year}-01-01`,
      endDate: `${year + 2}-12-31`,
      timezone: 'Asia/Kolkata',
      services: [{ name: 'Preventive maintenance visit', quantity: 4 }],
      spareParts: [],
    },
    lookup: async () => {
      const r = await client.http('lookup', 'GET', `/contracts?q=${encodeURIComponent(s.contractNumber)}`);
      return r.status === 200 ? r.body.items.find((c) => c.contractNumber === s.contractNumber) : undefined;
    },
    stopped,
  });
  if (!record('createContract', created)) return s;
  s.contractId = created.body.id;

  const activated = await step(client, 'activateContract', {
    method: 'POST',
    path: `/contracts/${s.contractId}/activate`,
    body: {},
    lookup: async () => {
      const r = await client.http('lookup', 'GET', `/contracts/${s.contractId}`);
      return r.status === 200 && r.body.status === 'active' ? r.body : undefined;
    },
    stopped,
  });
  if (!record('activateContract', activated)) return s;
  s.activated = true;

  const list = await step(client, 'listEvents', { method: 'GET', path: `/events?contractId=${s.contractId}&type=service&limit=50`, stopped });
  if (list.outcome !== 'accepted' || list.body.items.length < 2) {
    s.steps.listEvents = list.outcome === 'accepted' ? `only ${list.body.items.length} service events` : list.outcome;
    return s;
  }
  const [e1, e2] = list.body.items;
  s.movedEventId = e1.id;
  const moved = await step(client, 'transitionEvent', {
    method: 'POST',
    path: `/events/${e1.id}/transitions`,
    body: { toStatus: 'assigned', version: e1.version },
    lookup: async () => {
      const r = await client.http('lookup', 'GET', `/events/${e1.id}`);
      return r.status === 200 && r.body.status === 'assigned' ? r.body : undefined;
    },
    stopped,
  });
  record('transitionEvent', moved);

  s.ticketEventId = e2.id;
  const ticket = await step(client, 'createTicket', {
    method: 'POST',
    path: '/tickets',
    body: { contractId: s.contractId, eventIds: [e2.id] },
    // The tickets service learns the contract from events a moment after activation (longer during a fault).
    lagging: (r) => r.status === 404 || (r.status === 422 && /CONTRACT_NOT_ACTIVE/.test(JSON.stringify(r.body))),
    lookup: async () => {
      const r = await client.http('lookup', 'GET', `/tickets?contractId=${s.contractId}`);
      return r.status === 200 ? r.body.items.find((t) => (t.eventIds ?? []).includes(e2.id)) : undefined;
    },
    stopped,
  });
  if (!record('createTicket', ticket)) return s;
  s.ticketId = ticket.body.id;
  s.ticketNumber = ticket.body.ticketNumber;

  const day = `${year}-02-${String(1 + (n % 27)).padStart(2, '0')}`;
  const appointment = await step(client, 'createAppointment', {
    method: 'POST',
    path: '/appointments',
    body: {
      contractId: s.contractId,
      ticketId: s.ticketId,
      eventIds: [e2.id],
      startsAt: `${day}T10:00:00+05:30`,
      endsAt: `${day}T12:00:00+05:30`,
      timezone: 'Asia/Kolkata',
    },
    lookup: async () => {
      const r = await client.http('lookup', 'GET', `/appointments?ticketId=${s.ticketId}&from=${year}-01-01T00:00:00Z&to=${year}-12-31T00:00:00Z`);
      return r.status === 200 ? r.body.items[0] : undefined;
    },
    stopped,
  });
  if (record('createAppointment', appointment)) s.appointmentId = appointment.body.id;

  s.jtdSourceId = randomUUID();
  s.jtdEmail = `chaos-jtd-${s.jtdSourceId}@example.com`;
  const job = await step(client, 'createJtd', {
    method: 'POST',
    path: '/jtd',
    // Job creation is idempotent by (source, source id, channel, template): a new key cannot double it.
    body: {
      sourceType: 'service_reminder',
      sourceId: s.jtdSourceId,
      channel: 'email',
      recipient: { type: 'customer', name: 'Chaos Customer', email: s.jtdEmail },
      variables: { customer_name: 'Chaos Customer', service_type: 'AC service', service_date: `${year}-02-01`, tenant_name: 'Chaos Facilities' },
    },
    stopped,
  });
  if (record('createJtd', job)) s.jtdJobId = job.body.items[0].id;
  return s;
}

/** Runs `workers` story loops until `stop()` is called; resolves with every story once they finished. */
function runLoad({ tenants, gateways, workers, recorder, log = () => undefined }) {
  let stopping = false;
  const stories = [];
  const loops = [];
  for (let w = 0; w < workers; w++) {
    const tenant = tenants[w % tenants.length];
    const client = new Client({ gateways, token: tenant.token, recorder });
    loops.push(
      (async () => {
        while (!stopping) {
          try {
            stories.push(await story(client, tenant, () => stopping));
          } catch (e) {
            log(`worker ${w}: ${e.message}`);
            await sleep(500);
          }
        }
      })(),
    );
  }
  return {
    stories,
    async stop() {
      stopping = true;
      await Promise.all(loops);
      return stories;
    },
  };
}

/** A tenant registered through the gateway, live JTD sending on, and an admin token for it. */
async function registerTenant({ gateway, secret, label }) {
  const platform = signDevToken({
    tenantId: '00000000-0000-0000-0000-000000000000',
    userId: randomUUID(),
    roles: ['platform_admin'],
    name: 'Chaos Platform',
    secret,
  });
  const id = randomUUID();
  const res = await fetch(`${gateway}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await platform}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id, name: `Chaos ${label}`, timezone: 'Asia/Kolkata', locale: 'en-IN' }),
  });
  if (res.status !== 201) throw new Error(`registering a tenant: ${res.status} ${await res.text()}`);
  const token = await signDevToken({ tenantId: id, userId: randomUUID(), roles: ['admin'], name: `Chaos Admin ${label}`, secret, ttlSeconds: 6 * 3600 });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  // Every service seeds the tenant from TENANT_CREATED: wait for the JTD settings, then send for real.
  for (let i = 0; i < 150; i++) {
    const current = await fetch(`${gateway}/v1/settings/jtd`, { headers });
    if (current.status === 200) {
      const body = await current.json();
      const put = await fetch(`${gateway}/v1/settings/jtd`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({
          isLive: true,
          dailyLimit: null,
          monthlyLimit: null,
          quietHoursStart: null,
          quietHoursEnd: null,
          channelsEnabled: { ...(body.channelsEnabled ?? {}), email: true },
          version: body.version,
        }),
      });
      if (put.status === 200) return { id, token, label };
    }
    await sleep(200);
  }
  throw new Error(`tenant ${id}: JTD settings did not become available`);
}

module.exports = { Recorder, Client, runLoad, registerTenant, step };
