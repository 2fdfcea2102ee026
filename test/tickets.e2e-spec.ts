import type { CheckedJson } from './support/documented-answers';
import { JtdRequestedPayload } from '@app/shared/catalog/jtd.catalog';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureEvents, CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { eventually } from '@app/shared/testing/eventually';
import { openSealed } from '@app/shared/testing/sealed-values';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { recordFigure } from '../apps/tickets/test/support/figures';
import { Api, apiAs } from '../apps/tickets/test/support/http-api';
import { seedContract, SeededContract } from '../apps/tickets/test/support/seed-read-model';
import { DocumentedAnswers } from './support/documented-answers';
import { startStack, Stack } from './support/stack';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  await walk(dir);
  return out;
}

describe('tickets through the gateway', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let storageDir: string;
  let capture: CapturedEvents;
  let a: SeededContract;
  let b: SeededContract;
  let other: SeededContract;
  let admin: Api;
  let tech: Api;
  let tech2: Api;
  let outsider: Api;
  const answers = new DocumentedAnswers();

  async function readModelReady(api: Api, s: SeededContract) {
    // The read model is built from the broker; a ticket on one event proves the contract and events arrived.
    await eventually(async () => {
      const res = await api.get(`/tickets?contractId=${s.contractId}`);
      expect(res.status).toBe(200);
    });
  }

  async function openTicket(api: Api, s: SeededContract, eventIds: string[]) {
    let res: CheckedJson;
    await eventually(async () => {
      res = await api.post('/tickets', { contractId: s.contractId, eventIds });
      expect(res.status).toBe(201);
    });
    return res.body;
  }

  beforeAll(async () => {
    env = await createTestEnvironment();
    storageDir = await mkdtemp(join(tmpdir(), 'cn-evidence-'));
    // events owns the tenant registry the gateway asks.
    stack = await startStack(env, {
      services: ['events', 'tickets'],
      env: { tickets: { EVIDENCE_STORAGE_DIR: storageDir, OTP_MAX_ATTEMPTS: '3' }, gateway: { EVIDENCE_STORAGE_DIR: storageDir } },
    });
    capture = await captureEvents(env, ['JTD_REQUESTED', 'SERVICE_TICKET_CANCELLED', 'STAFF_ASSIGNMENT_OFFERED', 'EVIDENCE_UPLOADED', 'EVIDENCE_REJECTED']);
    a = await seedContract(env, { services: 6, spareParts: 2, billing: 1 });
    other = await seedContract(env, { tenantId: a.tenantId, withTenant: false, services: 1 });
    b = await seedContract(env, { services: 1 });
    for (const s of [a, b]) await stack.registerTenant(s.tenantId);
    admin = apiAs(stack.gatewayUrl, { tenantId: a.tenantId, roles: ['admin'], name: 'Asha Admin' }, answers);
    tech = apiAs(stack.gatewayUrl, { tenantId: a.tenantId, roles: ['technician'], name: 'Ravi Tech' }, answers);
    tech2 = apiAs(stack.gatewayUrl, { tenantId: a.tenantId, roles: ['technician'], name: 'Meena Tech' }, answers);
    outsider = apiAs(stack.gatewayUrl, { tenantId: b.tenantId, roles: ['admin'] }, answers);
    await readModelReady(admin, a);
  });

  afterAll(async () => {
    await capture?.close();
    await stack?.close();
    await env?.dispose();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  describe('grouping events into a ticket', () => {
    it('groups service and spare_part events of one contract under a TKT number', async () => {
      const t = await openTicket(admin, a, [a.events.service[0], a.events.sparePart[0]]);
      expect(t).toMatchObject({ status: 'created', contractId: a.contractId, version: 1 });
      expect(t.ticketNumber).toMatch(/^TKT-\d{4}-\d{5}$/);
      expect(t.eventIds.sort()).toEqual([a.events.service[0], a.events.sparePart[0]].sort());
    });

    it('refuses billing events with 422 BILLING_EVENT', async () => {
      const res = await admin.post('/tickets', { contractId: a.contractId, eventIds: [a.events.service[1], a.events.billing[0]] });
      expect(res.status).toBe(422);
      expect(res.body.details).toMatchObject({ reason: 'BILLING_EVENT', eventIds: [a.events.billing[0]] });
    });

    it('refuses events of another contract with 422 OTHER_CONTRACT', async () => {
      await readModelReady(admin, other);
      await eventually(async () => {
        const res = await admin.post('/tickets', { contractId: a.contractId, eventIds: [a.events.service[1], other.events.service[0]] });
        expect(res.status).toBe(422);
        expect(res.body.details).toMatchObject({ reason: 'OTHER_CONTRACT', eventIds: [other.events.service[0]] });
      });
    });

    it('refuses an event already on an open ticket, and accepts it again once that ticket is cancelled', async () => {
      const first = await openTicket(admin, a, [a.events.service[2]]);
      const again = await admin.post('/tickets', { contractId: a.contractId, eventIds: [a.events.service[2]] });
      expect(again.status).toBe(422);
      expect(again.body.details).toMatchObject({ reason: 'ALREADY_ON_OPEN_TICKET', ticketIds: [first.id] });

      const noReason = await admin.post(`/tickets/${first.id}/transitions`, { toStatus: 'cancelled', version: 1 });
      expect(noReason.status).toBe(422);
      expect(noReason.body.code).toBe('REASON_REQUIRED');
      const cancelled = await admin.post(`/tickets/${first.id}/transitions`, { toStatus: 'cancelled', reason: 'customer postponed', version: 1 });
      expect(cancelled.status).toBe(200);
      const event = await capture.waitFor('SERVICE_TICKET_CANCELLED', (e) => e.payload.ticketId === first.id);
      expect(event.payload).toMatchObject({ reason: 'customer postponed', eventIds: [a.events.service[2]] });

      const second = await admin.post('/tickets', { contractId: a.contractId, eventIds: [a.events.service[2]] });
      expect(second.status).toBe(201);
    });

    it('answers 404 for events it does not know', async () => {
      const res = await admin.post('/tickets', { contractId: a.contractId, eventIds: [randomUUID()] });
      expect(res.status).toBe(404);
    });

    it('adds events of the same contract, refuses others, and keeps at least one event', async () => {
      const t = await openTicket(admin, a, [a.events.service[3]]);
      const bad = await admin.post(`/tickets/${t.id}/events`, { eventIds: [a.events.billing[0]] });
      expect(bad.status).toBe(422);
      const added = await admin.post(`/tickets/${t.id}/events`, { eventIds: [a.events.sparePart[1]], version: 1 });
      expect(added.status).toBe(200);
      expect(added.body.eventIds).toHaveLength(2);
      const removed = await admin.delete(`/tickets/${t.id}/events/${a.events.sparePart[1]}`);
      expect(removed.status).toBe(200);
      const last = await admin.delete(`/tickets/${t.id}/events/${a.events.service[3]}`);
      expect(last.status).toBe(422);
      expect(last.body.details.reason).toBe('LAST_EVENT');
    });

    it('validates status moves against the flow and versions against the current one', async () => {
      const t = await openTicket(admin, a, [a.events.service[4]]);
      const notAllowed = await admin.post(`/tickets/${t.id}/transitions`, { toStatus: 'completed', version: 1 });
      expect(notAllowed.status).toBe(422);
      expect(notAllowed.body.code).toBe('TRANSITION_NOT_ALLOWED');
      const moved = await admin.post(`/tickets/${t.id}/transitions`, { toStatus: 'in_progress', version: 1 });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ status: 'in_progress', version: 2 });
      expect(moved.body.startedAt).toEqual(expect.any(String));
      const stale = await admin.post(`/tickets/${t.id}/transitions`, { toStatus: 'completed', version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('VERSION_CONFLICT');
    });

    it('numbers tickets opened at once through the gateway without duplicates or gaps', async () => {
      const n = 50;
      const s = await seedContract(env, { services: n, spareParts: 0, billing: 0 });
      await stack.registerTenant(s.tenantId);
      const agent = apiAs(stack.gatewayUrl, { tenantId: s.tenantId, roles: ['agent'] }, answers);
      await openTicket(agent, s, [s.events.service[0]]);
      const started = Date.now();
      const results = await Promise.all(s.events.service.slice(1).map((eventId) => agent.post('/tickets', { contractId: s.contractId, eventIds: [eventId] })));
      const elapsedMs = Date.now() - started;
      expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
      const seqs = results.map((r) => Number(r.body.ticketNumber.slice(-5))).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: n - 1 }, (_, i) => i + 2));
      const first = await agent.get('/tickets?limit=20');
      const second = await agent.get(`/tickets?limit=20&cursor=${first.body.nextCursor}`);
      const third = await agent.get(`/tickets?limit=20&cursor=${second.body.nextCursor}`);
      const paged = [...first.body.items, ...second.body.items, ...third.body.items].map((t: { ticketNumber: unknown }) => t.ticketNumber);
      expect(new Set(paged).size).toBe(n);
      expect(third.body.nextCursor).toBeNull();
      recordFigure('parallel-ticket-creation', { tickets: n - 1, elapsedMs, perSecond: Math.round(((n - 1) / elapsedMs) * 1000) });
    });

    it('lets only admins and agents open tickets', async () => {
      const res = await tech.post('/tickets', { contractId: a.contractId, eventIds: [a.events.service[5]] });
      expect(res.status).toBe(403);
    });
  });

  describe('appointments and technicians', () => {
    const slot = (h1: number, h2: number, day = '2030-05-10') => ({
      startsAt: `${day}T${String(h1).padStart(2, '0')}:00:00+05:30`,
      endsAt: `${day}T${String(h2).padStart(2, '0')}:00:00+05:30`,
    });
    const book = (api: Api, s: SeededContract, times: { startsAt: string; endsAt: string }, assignees: string[]) =>
      api.post('/appointments', {
        contractId: s.contractId,
        eventIds: [s.events.service[0]],
        ...times,
        timezone: 'Asia/Kolkata',
        location: { address: '12 MG Road', lat: 12.97, lng: 77.59 },
        assignees: assignees.map((userId) => ({ userId, role: 'technician' })),
      });

    it('refuses to double-book a technician, naming the clashing appointment', async () => {
      const first = await book(admin, a, slot(10, 12), [tech.userId]);
      expect(first.status).toBe(201);
      const clash = await book(admin, a, slot(11, 13), [tech.userId]);
      expect(clash.status).toBe(409);
      expect(clash.body.details).toMatchObject({ reason: 'DOUBLE_BOOKING', clashingAppointmentId: first.body.id, userId: tech.userId });
      expect(clash.body.detail).toContain(first.body.id);
      const touching = await book(admin, a, slot(12, 13), [tech.userId]);
      expect(touching.status).toBe(201);
      const moveOnto = await admin.post(`/appointments/${touching.body.id}/reschedule`, { ...slot(11, 12), reason: 'customer asked' });
      expect(moveOnto.status).toBe(409);
    });

    it('runs offer → accept → dispatch → en route → check-in → check-out and keeps reschedule history', async () => {
      const created = await book(admin, a, slot(9, 10, '2030-06-01'), [tech2.userId]);
      expect(created.status).toBe(201);
      const id = created.body.id;
      expect(created.body.assignments[0]).toMatchObject({ userId: tech2.userId, status: 'offered' });
      await capture.waitFor('STAFF_ASSIGNMENT_OFFERED', (e) => e.payload.appointmentId === id);

      const notMine = await tech.post(`/appointments/${id}/assignments/${tech2.userId}/accept`, {});
      expect(notMine.status).toBe(403);
      const accepted = await tech2.post(`/appointments/${id}/assignments/${tech2.userId}/accept`, { notes: 'see you there' });
      expect(accepted.status).toBe(200);
      expect(accepted.body.status).toBe('scheduled');

      const moved = await admin.post(`/appointments/${id}/reschedule`, { ...slot(14, 15, '2030-06-01'), reason: 'technician delayed' });
      expect(moved.status).toBe(200);
      expect(moved.body.status).toBe('rescheduled');
      expect(moved.body.reschedules).toHaveLength(1);
      expect(moved.body.reschedules[0].previousStartsAt).toBe('2030-06-01T03:30:00.000Z');

      expect((await admin.post(`/appointments/${id}/transitions`, { toStatus: 'confirmed' })).status).toBe(200);
      expect((await admin.post(`/appointments/${id}/assignments/${tech2.userId}/dispatch`)).status).toBe(200);
      expect((await tech2.post(`/appointments/${id}/assignments/${tech2.userId}/en-route`, { eta: '2030-06-01T14:05:00+05:30' })).status).toBe(200);
      const checkedIn = await tech2.post(`/appointments/${id}/check-in`, { lat: 12.97, lng: 77.59, accuracy: 8, verificationMethod: 'gps' });
      expect(checkedIn.status).toBe(200);
      expect(checkedIn.body.status).toBe('in_progress');
      const out = await tech2.post(`/appointments/${id}/check-out`, {
        lat: 12.971,
        lng: 77.591,
        verificationMethod: 'manager',
        hoursWorked: 1.5,
        feedback: 'done',
      });
      expect(out.status).toBe(200);
      expect(out.body.status).toBe('completed');
      expect(out.body.assignments[0]).toMatchObject({
        status: 'checked_out',
        hoursWorked: 1.5,
        checkIn: { lat: 12.97, lng: 77.59, accuracy: 8, verificationMethod: 'gps' },
        checkOut: { lat: 12.971, lng: 77.591, accuracy: null, verificationMethod: 'manager' },
      });

      const calendar = await admin.get(`/appointments?assigneeId=${tech2.userId}&from=2030-06-01T00:00:00Z&to=2030-06-02T00:00:00Z`);
      expect(calendar.status).toBe(200);
      expect(calendar.body.items.map((x: { id: unknown }) => x.id)).toEqual([id]);
    });

    it('records a decline with its reason and a no-show with its consequence', async () => {
      const one = await book(admin, a, slot(9, 10, '2030-07-01'), [tech.userId]);
      const declined = await tech.post(`/appointments/${one.body.id}/assignments/${tech.userId}/decline`, { reason: 'on leave', isAvailableForFuture: true });
      expect(declined.status).toBe(200);
      expect(declined.body.assignments[0]).toMatchObject({ status: 'declined', declineReason: 'on leave', isAvailableForFuture: true });
      const two = await book(admin, a, slot(9, 10, '2030-07-01'), [tech.userId]);
      expect(two.status).toBe(201);
      await tech.post(`/appointments/${two.body.id}/assignments/${tech.userId}/accept`, {});
      const noShow = await admin.post(`/appointments/${two.body.id}/assignments/${tech.userId}/no-show`, { consequenceLevel: 'warning', notes: 'no call' });
      expect(noShow.status).toBe(200);
      expect(noShow.body.assignments[0]).toMatchObject({ status: 'no_show', consequenceLevel: 'warning' });
      const issue = await tech.post(`/appointments/${two.body.id}/issues`, {
        type: 'staff',
        severity: 'high',
        description: 'technician did not arrive',
        immediateActionTaken: 'rebooked',
      });
      expect(issue.status).toBe(201);
      expect(issue.body).toMatchObject({ appointmentId: two.body.id, type: 'staff', severity: 'high', immediateActionTaken: 'rebooked' });
    });
  });

  describe('evidence', () => {
    let ticket: CheckedJson;

    beforeAll(async () => {
      const s = await seedContract(env, { tenantId: a.tenantId, withTenant: false, services: 1 });
      ticket = await openTicket(admin, s, s.events.service);
    });

    const form = (type: string, bytes: Buffer, contentType: string, name = 'photo.png') => {
      const f = new FormData();
      f.append('type', type);
      f.append('label', 'after service');
      f.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), name);
      return f;
    };

    it('refuses an oversized file with 413 and stores nothing', async () => {
      const res = await tech.upload(`/tickets/${ticket.id}/evidence`, form('photo', Buffer.alloc(10 * 1024 * 1024 + 1, 1), 'image/png'));
      expect(res.status).toBe(413);
      expect(res.contentType).toContain('application/problem+json');
      expect((await admin.get(`/tickets/${ticket.id}/evidence`)).body.items).toEqual([]);
      expect(await listFiles(storageDir)).toEqual([]);
    });

    it('refuses a file type the evidence type does not accept with 415 (the tickets service’s rule) and stores nothing', async () => {
      const res = await tech.upload(`/tickets/${ticket.id}/evidence`, form('photo', Buffer.from('%PDF-1.4'), 'application/pdf', 'x.pdf'));
      expect(res.status).toBe(415);
      expect((await admin.get(`/tickets/${ticket.id}/evidence`)).body.items).toEqual([]);
      expect(await listFiles(storageDir)).toEqual([]);
    });

    it('stores a photo with its sha256 and reports it uploaded', async () => {
      const res = await tech.upload(`/tickets/${ticket.id}/evidence`, form('photo', PNG, 'image/png'));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        type: 'photo',
        status: 'uploaded',
        file: { size: PNG.length, contentType: 'image/png', sha256: createHash('sha256').update(PNG).digest('hex') },
      });
      expect(await listFiles(storageDir)).toHaveLength(1);
      const download = await fetch(`${stack.gatewayUrl}/tickets/${ticket.id}/evidence/${res.body.id}/file`, { headers: { authorization: tech.auth } });
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
      expect((await outsider.get(`/tickets/${ticket.id}/evidence/${res.body.id}/file`)).status).toBe(404);
      await capture.waitFor('EVIDENCE_UPLOADED', (e) => e.payload.evidenceId === res.body.id);
      const rejected = await admin.patch(`/tickets/${ticket.id}/evidence/${res.body.id}`, { status: 'rejected', reason: 'blurry' });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'blurry' });
      await capture.waitFor('EVIDENCE_REJECTED', (e) => e.payload.evidenceId === res.body.id && e.payload.reason === 'blurry');
    });

    it('records notes and form data as JSON', async () => {
      const note = await tech.post(`/tickets/${ticket.id}/evidence`, { type: 'note', note: 'replaced the filter' });
      expect(note.status).toBe(201);
      const formData = await tech.post(`/tickets/${ticket.id}/evidence`, { type: 'form_data', formData: { pressure: 42, ok: true } });
      expect(formData.status).toBe(201);
      expect(formData.body.formData).toEqual({ pressure: 42, ok: true });
    });

    it('sends an OTP through a JTD request, never returns it, and locks after too many wrong codes', async () => {
      const created = await tech.post(`/tickets/${ticket.id}/evidence`, { type: 'otp', otp: { channel: 'whatsapp' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ type: 'otp', status: 'pending', otp: { channel: 'whatsapp', locked: false } });
      const jtd = await capture.waitFor<JtdRequestedPayload>('JTD_REQUESTED', (e) => e.payload.sourceId === created.body.id);
      const code = openSealed(jtd.payload.variables.otp, jtd.tenantId);
      expect(JSON.stringify(created.body)).not.toContain(code);
      expect(JSON.stringify(jtd)).not.toContain(code);
      expect(jtd.payload).toMatchObject({
        sourceType: 'otp_verification',
        channels: ['whatsapp'],
        recipient: { phone: '+919812345678' },
        variables: { ticket_number: ticket.ticketNumber },
      });

      const wrong = code === '000000' ? '111111' : '000000';
      const first = await tech.post(`/tickets/${ticket.id}/evidence/${created.body.id}/verify-otp`, { code: wrong });
      expect(first.status).toBe(422);
      expect(first.body.details).toMatchObject({ reason: 'OTP_INVALID', attemptsLeft: 2 });
      await tech.post(`/tickets/${ticket.id}/evidence/${created.body.id}/verify-otp`, { code: wrong });
      const third = await tech.post(`/tickets/${ticket.id}/evidence/${created.body.id}/verify-otp`, { code: wrong });
      expect(third.body.details.reason).toBe('OTP_LOCKED');
      const evenRight = await tech.post(`/tickets/${ticket.id}/evidence/${created.body.id}/verify-otp`, { code });
      expect(evenRight.status).toBe(422);
      expect(evenRight.body.details.reason).toBe('OTP_LOCKED');

      const fresh = await tech.post(`/tickets/${ticket.id}/evidence`, { type: 'otp', otp: { channel: 'sms' } });
      const jtd2 = await capture.waitFor<JtdRequestedPayload>('JTD_REQUESTED', (e) => e.payload.sourceId === fresh.body.id);
      const ok = await tech.post(`/tickets/${ticket.id}/evidence/${fresh.body.id}/verify-otp`, { code: openSealed(jtd2.payload.variables.otp, jtd2.tenantId) });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: 'uploaded', otp: { verifiedAt: expect.any(String) } });
    });
  });

  describe('settings', () => {
    it('lets a tenant replace and reset its ticket flow', async () => {
      const current = await admin.get('/settings/ticket-statuses');
      expect(current.status).toBe(200);
      const flow = {
        statuses: current.body.statuses,
        transitions: current.body.transitions.filter((x: { from: unknown; to: unknown }) => !(x.from === 'created' && x.to === 'in_progress')),
      };
      const put = await admin.put('/settings/ticket-statuses', flow);
      expect(put.status).toBe(200);
      expect(put.body.transitions).toHaveLength(current.body.transitions.length - 1);
      const reset = await admin.delete('/settings/ticket-statuses');
      expect(reset.status).toBe(200);
      expect(reset.body.isTenantOverride).toBe(false);
      expect(reset.body.transitions).toHaveLength(current.body.transitions.length);
    });
  });
});
