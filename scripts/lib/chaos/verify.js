// The checks after the load of `npm run chaos`: every accepted request's effect exists exactly once, numbers are
// gap-free, read models equal their source, every JTD job is settled and went to the provider at most once,
// nothing is left unpublished or unacknowledged, and dead letters only where a fault was meant to cause them.
const { Client } = require('pg');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The dispatcher's code for a job whose sender died during the provider call (flagged, never sent again). */
const UNKNOWN_OUTCOME = 'UNKNOWN_OUTCOME';

// Not settled: on its way (created, queued, executing), pending for the worker (auto_execute; a pending job without
// it waits for a person to send it), due again (a retry, a hold or a schedule whose time has come), or a retry ahead.
const UNSETTLED_JTD =
  "(status_code IN ('created','queued','executing') OR (status_code = 'pending' AND auto_execute) " +
  "OR (status_code IN ('scheduled','held','failed','pending') AND next_attempt_at IS NOT NULL AND next_attempt_at <= now()) " +
  "OR (status_code = 'failed' AND next_attempt_at IS NOT NULL))";

async function query(db, text, params = []) {
  return (await db.query(text, params)).rows;
}

/** A job's last error and attempts, for a problem line. */
async function jobStory(db, id) {
  if (!id) return '';
  const [job] = await query(db, 'SELECT status_code, error_code, last_error, attempts FROM jtd.jobs WHERE id = $1', [id]);
  const attempts = await query(db, 'SELECT attempt_no, outcome, http_status, error, at FROM jtd.attempts WHERE jtd_id = $1 ORDER BY at', [id]);
  const history = await query(db, 'SELECT from_status, to_status, note AS reason FROM jtd.status_history WHERE jtd_id = $1 ORDER BY seq', [id]).catch(() => []);
  return ` (job ${id}: ${job?.error_code ?? ''} ${job?.last_error ?? ''}; attempts ${attempts.map((a) => `#${a.attempt_no} ${a.outcome} ${a.http_status ?? ''} ${a.error ?? ''} ${a.at.toISOString()}`).join(', ')}; history ${history.map((h) => `${h.from_status}→${h.to_status}${h.reason ? ` (${h.reason})` : ''}`).join(', ')})`;
}

async function messagingSchemas(db) {
  const rows = await query(db, "SELECT table_schema AS s FROM information_schema.tables WHERE table_name = 'outbox' ORDER BY 1");
  return rows.map((r) => r.s);
}

/**
 * Waits until the system has digested the load: outboxes published, JTD jobs settled, the namespace's queues
 * empty (retry stages included), or `timeoutMs`. Answers how long it took and what was still pending.
 */
async function waitQuiescent({ databaseUrl, cluster, namespace, timeoutMs = 240000, log = () => undefined }) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const started = Date.now();
  let pending = {};
  let broughtForward = 0;
  try {
    const schemas = await messagingSchemas(db);
    for (;;) {
      pending = {};
      for (const s of schemas) {
        const [{ n }] = await query(db, `SELECT count(*)::int AS n FROM ${s}.outbox WHERE published_at IS NULL`);
        if (n) pending[`${s}.outbox unpublished`] = n;
      }
      // A job that failed retryably waits its retry delay (minutes): as an operator would, send it again now.
      const forward = await query(db, "UPDATE jtd.jobs SET next_attempt_at = now() WHERE status_code = 'failed' AND next_attempt_at > now() RETURNING id");
      broughtForward += forward.length;
      const [{ n: jobs }] = await query(db, `SELECT count(*)::int AS n FROM jtd.jobs WHERE ${UNSETTLED_JTD}`);
      if (jobs) pending['jtd jobs not settled'] = jobs;
      for (const q of await queueDepths(cluster, namespace)) if (q.messages) pending[`queue ${q.name}`] = q.messages;
      if (Object.keys(pending).length === 0) return { ms: Date.now() - started, pending, retriesBroughtForward: broughtForward };
      if (Date.now() - started > timeoutMs) return { ms: Date.now() - started, pending, retriesBroughtForward: broughtForward, timedOut: true };
      if ((Date.now() - started) % 15000 < 2000) log(`waiting for the backlog: ${JSON.stringify(pending)}`);
      await sleep(2000);
    }
  } finally {
    await db.end();
  }
}

/** The namespace's queues except the unrouted one (capped by design: events no service consumes). */
async function queueDepths(cluster, namespace) {
  return (await cluster.queues())
    .filter((q) => String(q.name).startsWith(`${namespace}.`) && !String(q.name).endsWith('.domain-events.unrouted'))
    .map((q) => ({
      name: q.name,
      type: q.type,
      messages: q.messages ?? 0,
      unacked: q.messages_unacknowledged ?? 0,
      members: Array.isArray(q.members) ? q.members.length : undefined,
    }));
}

/**
 * @param {{ databaseUrl: string, stories: any[], providerRequests: Array<{ email: string, template: string }>, cluster: any,
 *           namespace: string, deadLettersExpected: string[] }} input
 */
async function verify({ databaseUrl, stories, providerRequests, cluster, namespace }) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const checks = [];
  const check = (name, { lost = 0, doubled = 0, problems = [], info } = {}) =>
    checks.push({
      name,
      ok: lost === 0 && doubled === 0 && problems.length === 0,
      lost,
      doubled,
      problems: problems.slice(0, 10),
      problemCount: problems.length,
      info,
    });
  try {
    const accepted = (step) => stories.filter((s) => s.steps[step] === 'accepted' || s.steps[step] === 'accepted-after-lookup');

    // Contracts: every accepted one exists once; none of ours exists twice (the number is unique per tenant anyway).
    {
      const ids = accepted('createContract').map((s) => s.contractId);
      const rows = await query(db, 'SELECT id, contract_number, status, total_events FROM events.contracts WHERE id = ANY($1::uuid[])', [ids]);
      const found = new Set(rows.map((r) => r.id));
      const ours = await query(db, "SELECT count(*)::int AS n FROM events.contracts WHERE contract_number LIKE 'CHAOS-%'");
      check('contracts: every accepted create exists', {
        lost: ids.filter((id) => !found.has(id)).length,
        info: { accepted: ids.length, inDatabase: ours[0].n, committedWithoutAnAcceptedAnswer: ours[0].n - ids.length },
      });
    }

    // Activations: complete (all events, none partial) exactly once.
    {
      const ids = accepted('activateContract').map((s) => s.contractId);
      const rows = await query(
        db,
        `SELECT c.id, c.status, c.total_events, (SELECT count(*)::int FROM events.contract_events e WHERE e.tenant_id = c.tenant_id AND e.contract_id = c.id) AS events
           FROM events.contracts c WHERE c.id = ANY($1::uuid[])`,
        [ids],
      );
      const problems = rows
        .filter((r) => r.status !== 'active' || r.total_events === 0 || r.events !== r.total_events)
        .map((r) => `${r.id}: ${r.status}, ${r.events}/${r.total_events} events`);
      const doubled = rows.filter((r) => r.events > r.total_events).length;
      check('activations: every accepted one complete, events exactly once', {
        lost: ids.length - rows.length,
        doubled,
        problems,
        info: { accepted: ids.length },
      });
    }

    // TaskIDs gap-free per tenant, and the counter agrees.
    {
      const rows = await query(
        db,
        `SELECT e.tenant_id, count(*)::int AS n, count(DISTINCT e.task_id)::int AS d,
                min(substring(e.task_id from '([0-9]+)$')::bigint)::int AS lo, max(substring(e.task_id from '([0-9]+)$')::bigint)::int AS hi,
                (SELECT last_value::int FROM events.task_counters t WHERE t.tenant_id = e.tenant_id) AS counter
           FROM events.contract_events e GROUP BY e.tenant_id`,
      );
      const problems = rows
        .filter((r) => r.n !== r.d || r.lo !== 1 || r.hi !== r.n || r.counter !== r.n)
        .map((r) => `tenant ${r.tenant_id}: ${r.n} events, ${r.d} distinct, ${r.lo}..${r.hi}, counter ${r.counter}`);
      check('TaskIDs: unique and gap-free per tenant', {
        doubled: rows.reduce((a, r) => a + (r.n - r.d), 0),
        problems,
        info: { tenants: rows.length, taskIds: rows.reduce((a, r) => a + r.n, 0) },
      });
    }

    // Status moves: the accepted move happened once.
    {
      const ids = accepted('transitionEvent').map((s) => s.movedEventId);
      const rows = await query(
        db,
        `SELECT e.id, e.status, (SELECT count(*)::int FROM events.status_history h WHERE h.tenant_id = e.tenant_id AND h.event_id = e.id AND h.to_status = 'assigned') AS moves
           FROM events.contract_events e WHERE e.id = ANY($1::uuid[])`,
        [ids],
      );
      check('status moves: each accepted move recorded exactly once', {
        lost: ids.length - rows.filter((r) => r.status === 'assigned' && r.moves >= 1).length,
        doubled: rows.filter((r) => r.moves > 1).length,
        info: { accepted: ids.length },
      });
    }

    // Tickets: each accepted exists; one ticket per contract (the story opens one); numbers gap-free per tenant and year.
    {
      const ids = accepted('createTicket').map((s) => s.ticketId);
      const rows = await query(db, 'SELECT id FROM tickets.service_tickets WHERE id = ANY($1::uuid[])', [ids]);
      const perContract = await query(
        db,
        `SELECT contract_id, count(*)::int AS n FROM tickets.service_tickets WHERE contract_id = ANY($1::uuid[]) GROUP BY contract_id HAVING count(*) > 1`,
        [stories.filter((s) => s.contractId).map((s) => s.contractId)],
      );
      const numbers = await query(
        db,
        `WITH t AS (SELECT tenant_id, ticket_number, split_part(ticket_number, '-', 2)::int AS year, split_part(ticket_number, '-', 3)::int AS num FROM tickets.service_tickets)
         SELECT t.tenant_id, t.year, count(*)::int AS n, count(DISTINCT t.ticket_number)::int AS d, min(t.num) AS lo, max(t.num) AS hi, max(c.last_value) AS counter
           FROM t LEFT JOIN tickets.ticket_number_counters c ON c.tenant_id = t.tenant_id AND c.year = t.year GROUP BY 1, 2`,
      );
      const gaps = numbers
        .filter((r) => r.n !== r.d || r.lo !== 1 || r.hi !== r.n || r.counter !== r.n)
        .map((r) => `tenant ${r.tenant_id} ${r.year}: ${r.n} tickets ${r.lo}..${r.hi}, counter ${r.counter}`);
      check('tickets: every accepted one exists once; numbers gap-free per tenant and year', {
        lost: ids.length - rows.length,
        doubled: perContract.reduce((a, r) => a + r.n - 1, 0),
        problems: gaps,
        info: { accepted: ids.length, tickets: numbers.reduce((a, r) => a + r.n, 0) },
      });
    }

    // Appointments: each accepted exists; one per ticket.
    {
      const ids = accepted('createAppointment').map((s) => s.appointmentId);
      const rows = await query(db, 'SELECT id FROM tickets.appointments WHERE id = ANY($1::uuid[])', [ids]);
      const perTicket = await query(
        db,
        'SELECT ticket_id, count(*)::int AS n FROM tickets.appointments WHERE ticket_id = ANY($1::uuid[]) GROUP BY ticket_id HAVING count(*) > 1',
        [stories.filter((s) => s.ticketId).map((s) => s.ticketId)],
      );
      check('appointments: every accepted one exists once', {
        lost: ids.length - rows.length,
        doubled: perTicket.reduce((a, r) => a + r.n - 1, 0),
        info: { accepted: ids.length },
      });
    }

    // Read models in the tickets service equal the events service's tables.
    {
      const contracts = await query(
        db,
        `SELECT c.id, c.status AS source, r.status AS model FROM events.contracts c LEFT JOIN tickets.contract_read_models r ON r.id = c.id
          WHERE c.status = 'active' AND (r.id IS NULL OR r.status IS DISTINCT FROM c.status)`,
      );
      const events = await query(
        db,
        `SELECT coalesce(e.id, r.id) AS id, e.status AS source, r.status AS model, e.task_id, r.task_id AS model_task_id
           FROM events.contract_events e FULL JOIN tickets.contract_event_read_models r ON r.id = e.id
          WHERE e.id IS NULL OR r.id IS NULL OR e.status IS DISTINCT FROM r.status OR e.task_id IS DISTINCT FROM r.task_id`,
      );
      check('read models: tickets service equals the events service', {
        lost: contracts.filter((r) => r.model === null).length + events.filter((r) => r.model === null).length,
        problems: [
          ...contracts.map((r) => `contract ${r.id}: ${r.source} vs ${r.model}`),
          ...events.map((r) => `event ${r.id}: ${r.source}/${r.task_id} vs ${r.model}/${r.model_task_id}`),
        ],
      });
    }

    // JTD: every accepted job exists once, is settled, and reached the provider exactly once when sent.
    {
      const byEmail = new Map();
      for (const p of providerRequests) byEmail.set(p.email, (byEmail.get(p.email) ?? 0) + 1);
      const ours = accepted('createJtd');
      const rows = await query(
        db,
        `SELECT source_id, count(*)::int AS n, array_agg(status_code) AS statuses, array_agg(error_code) AS errors, array_agg(id) AS ids
           FROM jtd.jobs WHERE source_id = ANY($1::text[]) GROUP BY source_id`,
        [ours.map((s) => s.jtdSourceId)],
      );
      const bySource = new Map(rows.map((r) => [r.source_id, r]));
      let lost = 0;
      let doubled = 0;
      const problems = [];
      const unknown = [];
      for (const s of ours) {
        const r = bySource.get(s.jtdSourceId);
        const sends = byEmail.get(s.jtdEmail) ?? 0;
        if (!r) {
          lost++;
          continue;
        }
        if (r.n > 1) doubled += r.n - 1;
        if (sends > 1) doubled += sends - 1;
        const status = r.statuses[0];
        if (['sent', 'delivered', 'read', 'opened', 'clicked'].includes(status) && sends === 0) lost++;
        // The dispatcher died during the provider call: by design the job is not sent again but flagged for a
        // person (at most once). Not a loss and not a double; counted.
        if (status === 'failed' && r.errors[0] === UNKNOWN_OUTCOME) {
          unknown.push({ job: r.ids[0], reachedProvider: sends });
          continue;
        }
        if (!['sent', 'delivered', 'read', 'opened', 'clicked'].includes(status))
          problems.push(`job ${r.ids[0]} ${status}, ${sends} provider requests${await jobStory(db, r.ids[0])}`);
      }
      check('JTD jobs requested through the API: exist once, sent, at most once at the provider', {
        lost,
        doubled,
        problems,
        info: { accepted: ours.length, outcomeUnknownFlaggedForAPerson: unknown },
      });

      // Every job of the run (those the services made from domain events too): settled, and no recipient got more
      // provider requests than jobs sent to it.
      const all = await query(
        db,
        `SELECT recipient_contact AS email, count(*)::int AS jobs, count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent,
                count(*) FILTER (WHERE attempts > 0 OR sent_at IS NOT NULL)::int AS attempted,
                count(*) FILTER (WHERE ${UNSETTLED_JTD})::int AS unsettled, count(*) FILTER (WHERE status_code = 'failed')::int AS failed,
                count(*) FILTER (WHERE status_code = 'failed' AND error_code = '${UNKNOWN_OUTCOME}')::int AS unknown,
                array_agg(id) FILTER (WHERE status_code = 'failed') AS failed_ids
           FROM jtd.jobs WHERE channel_code = 'email' AND recipient_contact LIKE 'chaos-%' GROUP BY 1`,
      );
      let extra = 0;
      let missing = 0;
      let unknownReached = 0;
      const allProblems = [];
      for (const r of all) {
        const sends = byEmail.get(r.email) ?? 0;
        // More provider requests than jobs that were ever tried: some job went out twice.
        if (sends > r.attempted) extra += sends - r.attempted;
        // A job recorded as sent that the provider never got.
        if (sends < r.sent) missing += r.sent - sends;
        // The provider got it, the job says it failed: the customer has the message, the record is wrong.
        const reachedNotSent = Math.max(0, Math.min(sends, r.attempted) - r.sent);
        unknownReached += Math.min(r.unknown, reachedNotSent);
        const reachedButFailed = reachedNotSent - Math.min(r.unknown, reachedNotSent);
        if (reachedButFailed)
          allProblems.push(`${r.email}: ${reachedButFailed} provider request(s) for a job recorded failed${await jobStory(db, r.failed_ids?.[0])}`);
        if (r.unsettled) allProblems.push(`${r.email}: ${r.unsettled} not settled`);
      }
      const [{ n: unsettledAll }] = await query(db, `SELECT count(*)::int AS n FROM jtd.jobs WHERE ${UNSETTLED_JTD}`);
      if (unsettledAll) allProblems.push(`${unsettledAll} jobs not settled in all`);
      check(
        'every JTD email job of the run: settled; per recipient, provider requests = jobs sent (none twice, none recorded sent without a request, none recorded failed after a request)',
        {
          lost: missing,
          doubled: extra,
          problems: allProblems,
          info: {
            recipients: all.length,
            jobs: all.reduce((a, r) => a + r.jobs, 0),
            sent: all.reduce((a, r) => a + r.sent, 0),
            failed: all.reduce((a, r) => a + r.failed, 0),
            outcomeUnknown: all.reduce((a, r) => a + r.unknown, 0),
            outcomeUnknownThatReachedTheProvider: unknownReached,
            providerRequests: providerRequests.length,
          },
        },
      );
    }

    // Outboxes published; inboxes never hold a message twice (primary key), so the redeliveries show as duplicates skipped.
    {
      const problems = [];
      const info = {};
      for (const s of await messagingSchemas(db)) {
        const [{ n, total }] = await query(db, `SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS n, count(*)::int AS total FROM ${s}.outbox`);
        if (n) problems.push(`${s}: ${n} outbox rows unpublished`);
        const [{ dl }] = await query(db, `SELECT count(*)::int AS dl FROM ${s}.dead_letters`);
        info[s] = { outbox: total, unpublished: n, deadLetters: dl };
      }
      check('outboxes: every event published', { problems, info });
      const deadLetters = Object.entries(info).filter(([, v]) => v.deadLetters > 0);
      check('dead letters: none (no fault here is meant to make a message undeliverable)', {
        problems: deadLetters.map(([s, v]) => `${s}: ${v.deadLetters} dead letters`),
      });
    }

    // The cluster: nothing left in any queue, nothing unacknowledged, quorum queues on all three nodes.
    {
      const queues = await queueDepths(cluster, namespace);
      const problems = queues.filter((q) => q.messages || q.unacked).map((q) => `${q.name}: ${q.messages} messages, ${q.unacked} unacked`);
      const underReplicated = queues.filter((q) => q.type === 'quorum' && q.members !== cluster.nodes.length).map((q) => `${q.name}: ${q.members} members`);
      check('queues: empty and acknowledged on the cluster; quorum queues on every node', {
        problems: [...problems, ...underReplicated],
        info: { queues: queues.length },
      });
    }
  } finally {
    await db.end();
  }
  const lost = checks.reduce((a, c) => a + c.lost, 0);
  const doubled = checks.reduce((a, c) => a + c.doubled, 0);
  return { ok: checks.every((c) => c.ok), lost, doubled, checks };
}

module.exports = { verify, waitQuiescent, queueDepths };
