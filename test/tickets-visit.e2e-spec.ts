import type { CheckedJson } from './support/documented-answers';
import { JtdRequestedPayload } from '@app/shared/catalog/jtd.catalog';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureEvents, CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { eventually } from '@app/shared/testing/eventually';
import { openSealed } from '@app/shared/testing/sealed-values';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { recordFigure } from '../apps/tickets/test/support/figures';
import { apiAs } from '../apps/tickets/test/support/http-api';
import { DocumentedAnswers } from './support/documented-answers';
import { startStack, Stack } from './support/stack';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/**
 * The whole visit, end to end through the gateway and the broker: contract activated in the events service →
 * ticket → appointment → offer → accept → check-in → evidence (file and OTP) → check-out → ticket completed →
 * the linked contract events are completed by the events service.
 */
describe('a service visit from contract to completed events', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let capture: CapturedEvents;
  let storageDir: string;

  beforeAll(async () => {
    env = await createTestEnvironment();
    storageDir = await mkdtemp(join(tmpdir(), 'cn-visit-'));
    stack = await startStack(env, { env: { tickets: { EVIDENCE_STORAGE_DIR: storageDir }, gateway: { EVIDENCE_STORAGE_DIR: storageDir } } });
    capture = await captureEvents(env, ['JTD_REQUESTED', 'SERVICE_TICKET_COMPLETED']);
  });

  afterAll(async () => {
    await capture?.close();
    await stack?.close();
    await env?.dispose();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  it('completes the linked contract events when the ticket is completed', async () => {
    const answers = new DocumentedAnswers();
    const platform = apiAs(stack.gatewayUrl, { tenantId: randomUUID(), roles: ['platform_admin'] }, answers);
    const tenantBody = { name: 'Visit Co', timezone: 'Asia/Kolkata', locale: 'en-IN' };
    const tenant = await platform.post('/tenants', tenantBody);
    expect([200, 201]).toContain(tenant.status);
    const tenantId: string = tenant.body.id;
    const admin = apiAs(stack.gatewayUrl, { tenantId, roles: ['admin'], name: 'Asha Admin' }, answers);
    const tech = apiAs(stack.gatewayUrl, { tenantId, roles: ['technician'], name: 'Ravi Tech' }, answers);
    // The dispatcher sends SMS only where the tenant enabled it; test mode keeps providers out of it.
    await eventually(async () => {
      const res = await admin.put('/settings/jtd', { channelsEnabled: { email: true, sms: true, whatsapp: true, inapp: true }, isLive: false });
      expect(res.status).toBe(200);
    });

    const contractBody = {
      contractNumber: 'CN-VISIT-1',
      title: 'Chiller AMC',
      customer: { name: 'Acme Facilities', email: 'ops@acme.test', phone: '+919812345678' },
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      timezone: 'Asia/Kolkata',
      services: [{ name: 'Quarterly service', quantity: 2 }],
      billing: { mode: 'prepaid', total: '12000.00', currency: 'INR' },
    };
    const contract = await admin.post('/contracts', contractBody);
    expect([200, 201]).toContain(contract.status);
    const contractId: string = contract.body.id;
    const activated = await admin.post(`/contracts/${contractId}/activate`, {});
    expect([200, 201]).toContain(activated.status);
    const listed = await admin.get(`/events?contractId=${contractId}&type=service`);
    expect(listed.status).toBe(200);
    const serviceEvents = (listed.body.items as Array<{ id: string; type: string }>).filter((e) => e.type === 'service');
    expect(serviceEvents.length).toBeGreaterThanOrEqual(2);
    const eventIds = serviceEvents.slice(0, 2).map((e) => e.id);

    const started = Date.now();
    const marks: Record<string, number> = {};
    const mark = (name: string) => (marks[name] = Date.now() - started);

    // The tickets service learns about the contract and its events from the broker.
    let ticket: CheckedJson;
    await eventually(async () => {
      const res = await admin.post('/tickets', { contractId, eventIds });
      expect(res.status).toBe(201);
      ticket = res.body;
    });
    mark('ticketCreated');

    const appointment = await admin.post('/appointments', {
      contractId,
      ticketId: ticket.id,
      startsAt: '2026-03-02T10:00:00+05:30',
      endsAt: '2026-03-02T12:00:00+05:30',
      timezone: 'Asia/Kolkata',
      location: { address: '12 MG Road, Bengaluru', lat: 12.9756, lng: 77.6069 },
      assignees: [{ userId: tech.userId, name: 'Ravi Tech', role: 'technician' }],
      responseDeadline: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(appointment.status).toBe(201);
    const aid = appointment.body.id;
    mark('appointmentBooked');

    expect((await tech.post(`/appointments/${aid}/assignments/${tech.userId}/accept`, {})).status).toBe(200);
    const mine = await tech.get(`/tickets?assigneeId=${tech.userId}`);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ id: ticket.id, status: 'assigned', assignees: [expect.objectContaining({ userId: tech.userId, role: 'technician' })] }),
    ]);
    const checkedIn = await tech.post(`/appointments/${aid}/check-in`, { lat: 12.9757, lng: 77.607, accuracy: 6, verificationMethod: 'gps' });
    expect(checkedIn.status).toBe(200);
    mark('checkedIn');

    const form = new FormData();
    form.append('type', 'photo');
    form.append('eventId', eventIds[0]);
    form.append('label', 'chiller after service');
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'after.png');
    const photo = await tech.upload(`/tickets/${ticket.id}/evidence`, form);
    expect(photo.status).toBe(201);

    const otp = await tech.post(`/tickets/${ticket.id}/evidence`, { type: 'otp', otp: { channel: 'sms' } });
    expect(otp.status).toBe(201);
    const jtd = await capture.waitFor<JtdRequestedPayload>('JTD_REQUESTED', (e) => e.payload.sourceId === otp.body.id);
    const verified = await tech.post(`/tickets/${ticket.id}/evidence/${otp.body.id}/verify-otp`, { code: openSealed(jtd.payload.variables.otp, jtd.tenantId) });
    expect(verified.status).toBe(200);
    mark('evidenceRecorded');

    const out = await tech.post(`/appointments/${aid}/check-out`, { lat: 12.9757, lng: 77.607, verificationMethod: 'gps', feedback: 'filters replaced' });
    expect(out.status).toBe(200);
    expect(out.body.status).toBe('completed');

    const current = await admin.get(`/tickets/${ticket.id}`);
    expect(current.body.status).toBe('evidence_uploaded');
    const completed = await admin.post(`/tickets/${ticket.id}/transitions`, { toStatus: 'completed', version: current.body.version });
    expect(completed.status).toBe(200);
    mark('ticketCompleted');

    const done = await capture.waitFor('SERVICE_TICKET_COMPLETED', (e) => e.payload.ticketId === ticket.id);
    expect(done.payload.evidence).toEqual(
      expect.arrayContaining([
        { eventId: eventIds[0], evidenceIds: expect.arrayContaining([photo.body.id, otp.body.id]) },
        { eventId: eventIds[1], evidenceIds: [otp.body.id] },
      ]),
    );

    await eventually(
      async () => {
        for (const id of eventIds) {
          const e = await admin.get(`/events/${id}`);
          expect(e.body.status).toBe('completed');
        }
      },
      { timeoutMs: 15000 },
    );
    mark('eventsCompleted');

    // The OTP request reached the JTD dispatcher as a job for the customer's phone.
    await eventually(async () => {
      const jobs = await admin.get(`/jtd?sourceType=otp_verification&sourceId=${otp.body.id}`);
      expect(jobs.status).toBe(200);
      expect(jobs.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'sms' })]));
    });
    recordFigure('full-visit', { totalMs: Date.now() - started, marks });
  });
});
