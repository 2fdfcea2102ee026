import { randomUUID } from 'node:crypto';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { SseStream } from '../apps/gateway/test/support/sse-client';
import { startStack, Stack } from './support/stack';

/**
 * GET /v1/stream on the whole stack: what people do through the API (activate a contract, move an event,
 * open a ticket, book a visit, notify a technician) reaches the open streams of their tenant as it happens,
 * each object's changes coalesced, jobs not to technicians, inbox items to their user only, and nothing to
 * another tenant. Refusals are problem+json as the document describes them.
 */
describe('the realtime stream over the whole stack', () => {
  let env: TestEnvironment;
  let stack: Stack;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const tech = randomUUID();
  const admin = authHeader({ tenantId: tenantA, userId: randomUUID(), roles: ['admin'], name: 'Asha Admin' });
  const technician = authHeader({ tenantId: tenantA, userId: tech, roles: ['technician'], name: 'Ravi' });
  const otherAdmin = authHeader({ tenantId: tenantB, userId: randomUUID(), roles: ['admin'] });
  const streams: SseStream[] = [];
  const open = async (headers: Record<string, string>, query = '') => {
    const s = await SseStream.open(`${stack.gatewayUrl}/stream${query}`, headers);
    streams.push(s);
    expect(s.status).toBe(200);
    return s;
  };

  beforeAll(async () => {
    env = await createTestEnvironment();
    stack = await startStack(env, { env: { 'jtd-dispatcher': { JTD_POLL_INTERVAL_MS: '200' } } });
    for (const id of [tenantA, tenantB]) await stack.registerTenant(id);
  }, 120_000);

  afterAll(async () => {
    for (const s of streams) s.close();
    await stack?.close();
    await env?.dispose();
  });

  it('refuses before the stream starts, as the document describes: 401 without a token, 403 for a topic the role may not read or an unknown tenant', async () => {
    const anonymous = await stack.http('GET', '/stream', {});
    expect(anonymous).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    const jobs = await stack.http('GET', '/stream?topics=jobs', technician);
    expect(jobs).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const stranger = await stack.http('GET', '/stream', authHeader({ tenantId: randomUUID(), userId: randomUUID(), roles: ['admin'] }));
    expect(stranger).toMatchObject({ status: 403, body: { code: 'TENANT_UNKNOWN' } });
    // And a stream that opens is answered as documented (200, text/event-stream).
    expect((await stack.http('GET', '/stream?topics=tickets', technician)).status).toBe(200);
  });

  it('shows a contract’s activation, an event’s move, a ticket, a visit and a notification as they happen', async () => {
    const office = await open(admin);
    const field = await open(technician);
    const elsewhere = await open(otherAdmin);

    const contract = await stack.http('POST', '/contracts', admin, {
      contractNumber: 'AMC-2027-001',
      title: 'Annual maintenance of 3 chillers',
      timezone: 'Asia/Kolkata',
      customer: { name: 'Lakeview Towers', email: 'facilities@lakeview.example', phone: '+919812345678' },
      startDate: '2027-01-01',
      endDate: '2027-12-31',
      services: [{ name: 'Chiller service visit', quantity: 3, every: { unit: 'month', interval: 1 } }],
      spareParts: [],
      billing: { mode: 'prepaid', total: '120000.00', currency: 'INR' },
    });
    expect(contract.status).toBe(201);
    const contractId = contract.body.id as string;
    expect((await stack.http('POST', `/contracts/${contractId}/activate`, admin)).status).toBe(200);

    // The contract: its creation and activation; then its events, one message each.
    const contractMessages = await office.until((s) => {
      const m = s.changes('contract').filter((x) => x.data.id === contractId);
      return m.some((x) => x.data.types.includes('CONTRACT_ACTIVATED')) && m;
    });
    expect(contractMessages.flatMap((m) => m.data.types)).toEqual(
      expect.arrayContaining(['BOOKING_CREATED', 'CONTRACT_ACTIVATED', 'EVENT_INSTANCES_GENERATED']),
    );
    expect(contractMessages.at(-1)!.data.summary).toMatchObject({ title: 'Annual maintenance of 3 chillers', contractNumber: 'AMC-2027-001' });
    const created = await office.until((s) => s.changes('event').filter((m) => m.data.summary.contractId === contractId).length >= 4 && s.changes('event'));
    const events = (await stack.http('GET', `/events?contractId=${contractId}&type=service`, admin)).body.items as Array<{
      id: string;
      version: number;
      taskId: string;
    }>;
    expect(events).toHaveLength(3);
    for (const e of events)
      expect(created.find((m) => m.data.id === e.id)?.data.summary).toMatchObject({ taskId: e.taskId, eventType: 'service', status: expect.any(String) });

    // An event moves: one message naming the move and the new status.
    const [event] = events;
    expect((await stack.http('POST', `/events/${event.id}/transitions`, admin, { toStatus: 'assigned', version: event.version })).status).toBe(200);
    const moved = await office.until((s) => s.changes('event').find((m) => m.data.id === event.id && m.data.types.includes('CONTRACT_EVENT_STATUS_CHANGED')));
    expect(moved.data.summary).toMatchObject({ status: 'assigned', taskId: event.taskId });

    // A ticket and its visit; the technician sees them too.
    const ticket = await stack.http('POST', '/tickets', admin, { contractId, eventIds: [event.id], assignees: [{ userId: tech, name: 'Ravi' }] });
    expect(ticket.status).toBe(201);
    const visit = await stack.http('POST', '/appointments', admin, {
      contractId,
      ticketId: ticket.body.id,
      eventIds: [event.id],
      startsAt: '2027-01-04T10:00:00+05:30',
      endsAt: '2027-01-04T12:00:00+05:30',
      timezone: 'Asia/Kolkata',
      location: { address: 'Lakeview Towers, Plant room B2' },
      assignees: [{ userId: tech, name: 'Ravi' }],
    });
    expect(visit.status).toBe(201);
    for (const s of [office, field]) {
      const t = await s.until((x) => x.changes('ticket').find((m) => m.data.id === ticket.body.id));
      expect(t.data).toMatchObject({
        types: expect.arrayContaining(['SERVICE_TICKET_CREATED']),
        summary: { ticketNumber: ticket.body.ticketNumber, contractId },
      });
      const a = await s.until((x) => x.changes('appointment').find((m) => m.data.id === visit.body.id));
      expect(a.data.types).toContain('APPOINTMENT_CREATED');
      expect(JSON.stringify(a.data)).not.toMatch(/Lakeview|Plant room|\+91/);
    }

    // A notification to the technician: the inbox item is theirs alone; the job is the office's.
    const notified = await stack.http('POST', '/jtd', admin, {
      sourceType: 'system',
      channel: 'inapp',
      recipient: { type: 'user', id: tech, name: 'Ravi' },
      variables: { title: 'Visit on 4 January', body: 'Chiller service at Lakeview Towers, 10:00' },
    });
    expect(notified.status).toBe(201);
    const jobId = notified.body.items[0].id as string;
    const item = await field.until((x) => x.changes('inbox')[0]);
    expect(item.data).toMatchObject({ topic: 'inbox', types: ['INAPP_NOTIFICATION_CREATED'], summary: { title: 'Visit on 4 January', jtdId: jobId } });
    const job = await office.until((x) => x.changes('job').find((m) => m.data.id === jobId));
    expect(job.data.summary).toMatchObject({ channel: 'inapp', status: expect.any(String) });
    await new Promise((r) => setTimeout(r, 500));
    expect(office.changes('inbox')).toEqual([]);
    expect(field.changes('job')).toEqual([]);
    expect(elsewhere.changes()).toEqual([]);
    expect(elsewhere.ended).toBe(false);
  }, 60_000);
});
