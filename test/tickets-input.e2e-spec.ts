import type { CheckedJson } from './support/documented-answers';
import { OpenApiDocument, SchemaNode } from '@app/shared/testing/openapi-reading';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INT4_MAX } from '@app/shared/validation/decorators';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { Api, apiAs } from '../apps/tickets/test/support/http-api';
import { seedContract, SeededContract } from '../apps/tickets/test/support/seed-read-model';
import { DocumentedAnswers } from './support/documented-answers';
import { startStack, Stack } from './support/stack';

type Answer = { status: number; body: CheckedJson };

/** The calls whose answer is not the expected status with `code`, each with what came back instead. */
async function wrongAnswers(cases: Array<[string, Promise<Answer>]>, status: number, code?: string): Promise<string[]> {
  const results = await Promise.all(cases.map(async ([name, p]) => ({ name, res: await p })));
  return results
    .filter(
      ({ res }) =>
        res.status !== status || (code !== undefined && res.body?.code !== code) || (status === 400 && !(Object.keys(res.body?.errors ?? {}).length > 0)),
    )
    .map(({ name, res }) => `${name}: ${res.status} ${JSON.stringify(res.body)}`);
}

describe('tickets through the gateway: tenancy and input', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let storageDir: string;
  let a: SeededContract;
  let admin: Api;
  let outsider: Api;
  let ticket: CheckedJson;
  let appointment: CheckedJson;
  let evidence: CheckedJson;
  const answers = new DocumentedAnswers();

  beforeAll(async () => {
    env = await createTestEnvironment();
    storageDir = await mkdtemp(join(tmpdir(), 'cn-evidence-'));
    // events owns the tenant registry the gateway asks.
    stack = await startStack(env, {
      services: ['events', 'tickets'],
      env: { tickets: { EVIDENCE_STORAGE_DIR: storageDir }, gateway: { EVIDENCE_STORAGE_DIR: storageDir } },
    });
    a = await seedContract(env, { services: 3, spareParts: 0, billing: 0 });
    const b = await seedContract(env, { services: 1 });
    for (const s of [a, b]) await stack.registerTenant(s.tenantId);
    admin = apiAs(stack.gatewayUrl, { tenantId: a.tenantId, roles: ['admin'], name: 'Asha Admin' }, answers);
    outsider = apiAs(stack.gatewayUrl, { tenantId: b.tenantId, roles: ['admin'] }, answers);
    await eventually(async () => {
      const res = await admin.post('/tickets', { contractId: a.contractId, eventIds: [a.events.service[0]] });
      expect(res.status).toBe(201);
      ticket = res.body;
    });
    appointment = (
      await admin.post('/appointments', {
        contractId: a.contractId,
        ticketId: ticket.id,
        startsAt: '2031-01-01T10:00:00Z',
        endsAt: '2031-01-01T11:00:00Z',
        timezone: 'UTC',
      })
    ).body;
    evidence = (await admin.post(`/tickets/${ticket.id}/evidence`, { type: 'note', note: 'x' })).body;
  });

  afterAll(async () => {
    await stack?.close();
    await env?.dispose();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  it("answers 404 for another tenant's tickets, appointments and evidence", async () => {
    const u = randomUUID();
    const t = ticket.id;
    const ap = appointment.id;
    const site = { lat: 1, lng: 1, verificationMethod: 'gps' };
    const wrong = await wrongAnswers(
      [
        ['getTicket', outsider.get(`/tickets/${t}`)],
        ['transitionTicket', outsider.post(`/tickets/${t}/transitions`, { toStatus: 'assigned', version: 1 })],
        ['addTicketEvents', outsider.post(`/tickets/${t}/events`, { eventIds: [randomUUID()] })],
        ['removeTicketEvent', outsider.delete(`/tickets/${t}/events/${randomUUID()}`)],
        ['listEvidence', outsider.get(`/tickets/${t}/evidence`)],
        ['recordEvidence', outsider.post(`/tickets/${t}/evidence`, { type: 'note', note: 'x' })],
        ['reviewEvidence', outsider.patch(`/tickets/${t}/evidence/${evidence.id}`, { status: 'verified' })],
        ['verifyEvidenceOtp', outsider.post(`/tickets/${t}/evidence/${evidence.id}/verify-otp`, { code: '123456' })],
        ['downloadEvidenceFile', outsider.get(`/tickets/${t}/evidence/${evidence.id}/file`)],
        ['reportTicketIssue', outsider.post(`/tickets/${t}/issues`, { type: 'kit', severity: 'low', description: 'x' })],
        ['listTicketIssues', outsider.get(`/tickets/${t}/issues`)],
        ['createTicket', outsider.post('/tickets', { contractId: a.contractId, eventIds: [a.events.service[1]] })],
        ['getAppointment', outsider.get(`/appointments/${ap}`)],
        ['transitionAppointment', outsider.post(`/appointments/${ap}/transitions`, { toStatus: 'confirmed' })],
        [
          'rescheduleAppointment',
          outsider.post(`/appointments/${ap}/reschedule`, { startsAt: '2031-01-02T10:00:00Z', endsAt: '2031-01-02T11:00:00Z', reason: 'x' }),
        ],
        ['offerAssignment', outsider.post(`/appointments/${ap}/assignments`, { userId: u })],
        ['acceptAssignment', outsider.post(`/appointments/${ap}/assignments/${u}/accept`, {})],
        ['declineAssignment', outsider.post(`/appointments/${ap}/assignments/${u}/decline`, { reason: 'x', isAvailableForFuture: false })],
        ['dispatchTechnician', outsider.post(`/appointments/${ap}/assignments/${u}/dispatch`)],
        ['reportEnRoute', outsider.post(`/appointments/${ap}/assignments/${u}/en-route`, {})],
        ['reportNoShow', outsider.post(`/appointments/${ap}/assignments/${u}/no-show`, { consequenceLevel: 'warning' })],
        ['checkInAppointment', outsider.post(`/appointments/${ap}/check-in`, site)],
        ['checkOutAppointment', outsider.post(`/appointments/${ap}/check-out`, site)],
        ['reportAppointmentIssue', outsider.post(`/appointments/${ap}/issues`, { type: 'kit', severity: 'low', description: 'x' })],
        ['listAppointmentIssues', outsider.get(`/appointments/${ap}/issues`)],
        [
          'createAppointment',
          outsider.post('/appointments', {
            contractId: a.contractId,
            eventIds: [a.events.service[1]],
            startsAt: '2031-01-01T10:00:00Z',
            endsAt: '2031-01-01T11:00:00Z',
            timezone: 'UTC',
          }),
        ],
      ],
      404,
      'NOT_FOUND',
    );
    expect(wrong).toEqual([]);
    const list = await outsider.get('/tickets');
    expect(list.body.items.map((x: { id: unknown }) => x.id)).not.toContain(ticket.id);
  });

  it('answers 400 naming the field for bad input on every route', async () => {
    const t = ticket.id;
    const ap = appointment.id;
    const u = randomUUID();
    const wrong = await wrongAnswers(
      [
        ['POST /tickets', admin.post('/tickets', { contractId: 'nope', eventIds: [] })],
        ['GET /tickets', admin.get('/tickets?limit=0')],
        ['GET /tickets/:id', admin.get('/tickets/not-a-uuid')],
        ['POST /tickets/:id/events', admin.post(`/tickets/${t}/events`, { eventIds: ['x'] })],
        ['DELETE /tickets/:id/events/:eventId', admin.delete(`/tickets/${t}/events/x`)],
        ['POST /tickets/:id/transitions', admin.post(`/tickets/${t}/transitions`, { toStatus: 'Done!' })],
        ['POST /tickets/:id/evidence', admin.post(`/tickets/${t}/evidence`, { type: 'Video!' })],
        ['POST /tickets/:id/evidence (fields per type)', admin.post(`/tickets/${t}/evidence`, { type: 'note' })],
        ['POST /tickets/:id/evidence (a file in JSON)', admin.post(`/tickets/${t}/evidence`, { type: 'photo', file: 'aGVsbG8=' })],
        ['GET /tickets/:id/evidence', admin.get('/tickets/x/evidence')],
        ['PATCH /tickets/:id/evidence/:evidenceId', admin.patch(`/tickets/${t}/evidence/${evidence.id}`, { status: 'approved' })],
        ['POST verify-otp', admin.post(`/tickets/${t}/evidence/${evidence.id}/verify-otp`, { code: 'abc' })],
        ['POST /tickets/:id/issues', admin.post(`/tickets/${t}/issues`, { type: 'weather', severity: 'low', description: 'x' })],
        ['GET /tickets/:id/issues', admin.get('/tickets/x/issues')],
        [
          'POST /appointments',
          admin.post('/appointments', {
            contractId: a.contractId,
            startsAt: '2031-01-01T10:00:00Z',
            endsAt: '2031-01-01T09:00:00Z',
            timezone: 'UTC',
            eventIds: [a.events.service[1]],
          }),
        ],
        [
          'POST /appointments (timezone)',
          admin.post('/appointments', {
            contractId: a.contractId,
            startsAt: '2031-01-01T10:00:00Z',
            endsAt: '2031-01-01T11:00:00Z',
            timezone: 'Mars/Olympus',
            eventIds: [a.events.service[1]],
          }),
        ],
        ['GET /appointments', admin.get('/appointments?from=yesterday')],
        ['GET /appointments/:id', admin.get('/appointments/x')],
        ['POST /appointments/:id/transitions', admin.post(`/appointments/${ap}/transitions`, { toStatus: 'rescheduled' })],
        ['POST /appointments/:id/reschedule', admin.post(`/appointments/${ap}/reschedule`, { startsAt: 'soon' })],
        ['POST /appointments/:id/assignments', admin.post(`/appointments/${ap}/assignments`, { userId: 'bob' })],
        ['POST accept', admin.post(`/appointments/${ap}/assignments/${u}/accept`, { extra: true })],
        ['POST decline', admin.post(`/appointments/${ap}/assignments/${u}/decline`, { reason: 'x' })],
        ['POST dispatch', admin.post(`/appointments/${ap}/assignments/bob/dispatch`)],
        ['POST en-route', admin.post(`/appointments/${ap}/assignments/${u}/en-route`, { eta: 'later' })],
        ['POST no-show', admin.post(`/appointments/${ap}/assignments/${u}/no-show`, { consequenceLevel: 'fine' })],
        ['POST check-in', admin.post(`/appointments/${ap}/check-in`, { lat: 200, lng: 1, accuracy: 1, verificationMethod: 'gps' })],
        ['POST check-out', admin.post(`/appointments/${ap}/check-out`, { lat: 1, lng: 1, verificationMethod: 'gps', hoursWorked: -1 })],
        ['POST /appointments/:id/issues', admin.post(`/appointments/${ap}/issues`, { type: 'kit', severity: 'urgent', description: 'x' })],
        ['GET /appointments/:id/issues', admin.get('/appointments/x/issues')],
        ['PUT /settings/ticket-statuses', admin.put('/settings/ticket-statuses', { statuses: [] })],
        ['PUT /settings/appointment-statuses', admin.put('/settings/appointment-statuses', { statuses: [{ code: 'a' }], transitions: [] })],
      ],
      400,
    );
    expect(wrong).toEqual([]);
  });

  it('answers 400 where it used to fail later: missing required objects and lists, impossible dates, oversized versions', async () => {
    const t = ticket.id;
    const ap = appointment.id;
    const status = { code: 'open', label: 'Open', order: 1, isInitial: true, isTerminal: false };
    const tooBig = INT4_MAX + 1;
    const wrong = await wrongAnswers(
      [
        ['a flow without transitions', admin.put('/settings/ticket-statuses', { statuses: [status] })],
        ['a flow whose status is null', admin.put('/settings/appointment-statuses', { statuses: [null], transitions: [] })],
        [
          'a location that is not an object',
          admin.post('/appointments', {
            contractId: a.contractId,
            eventIds: [a.events.service[1]],
            startsAt: '2031-01-03T10:00:00Z',
            endsAt: '2031-01-03T11:00:00Z',
            timezone: 'UTC',
            location: 'MG Road',
          }),
        ],
        ['an OTP request that is not an object', admin.post(`/tickets/${t}/evidence`, { type: 'otp', otp: 'sms' })],
        [
          'a 30th of February',
          admin.post('/appointments', {
            contractId: a.contractId,
            eventIds: [a.events.service[1]],
            startsAt: '2031-02-30T10:00:00Z',
            endsAt: '2031-03-01T11:00:00Z',
            timezone: 'UTC',
          }),
        ],
        [
          'a time without an offset',
          admin.post(`/appointments/${ap}/reschedule`, { startsAt: '2031-01-05T10:00:00', endsAt: '2031-01-05T11:00:00Z', reason: 'x' }),
        ],
        ['a 13th month in the query', admin.get('/appointments?from=2031-13-01T00:00:00Z')],
        ['version 2147483648 in a body', admin.post(`/tickets/${t}/transitions`, { toStatus: 'assigned', version: tooBig })],
        ['version 2147483648 in a query', admin.delete(`/tickets/${t}/events/${a.events.service[0]}?version=${tooBig}`)],
        ['version 2147483648 on an appointment', admin.post(`/appointments/${ap}/transitions`, { toStatus: 'confirmed', version: tooBig })],
        ['a latitude beyond the pole', admin.post(`/appointments/${ap}/check-in`, { lat: 90.5, lng: 1, verificationMethod: 'gps' })],
      ],
      400,
      'VALIDATION_FAILED',
    );
    expect(wrong).toEqual([]);
  });

  it('answers 400 INVALID_CURSOR for a cursor a list did not give out, on every list', async () => {
    const forged = Buffer.from(`2026-01-01T00:00:00.000Z|${randomUUID()}`).toString('base64url');
    const wrong = await wrongAnswers(
      [
        ['listTickets', admin.get(`/tickets?cursor=${forged}`)],
        ['listAppointments', admin.get('/appointments?cursor=not-a-cursor')],
        ['listEvidence', admin.get(`/tickets/${ticket.id}/evidence?cursor=${forged}`)],
        ['listTicketIssues', admin.get(`/tickets/${ticket.id}/issues?cursor=abc`)],
        ['listAppointmentIssues', admin.get(`/appointments/${appointment.id}/issues?cursor=${forged}`)],
      ],
      400,
      'INVALID_CURSOR',
    );
    expect(wrong).toEqual([]);
  });

  it('refuses the old names where the seed’s are now the names, and takes the new ones', async () => {
    const tech = apiAs(stack.gatewayUrl, { tenantId: a.tenantId, roles: ['technician'] }, answers);
    const offer = await admin.post('/appointments', {
      contractId: a.contractId,
      eventIds: [a.events.service[2]],
      startsAt: '2031-02-01T10:00:00Z',
      endsAt: '2031-02-01T11:00:00Z',
      timezone: 'UTC',
      assignees: [{ userId: tech.userId }],
    });
    expect(offer.status).toBe(201);
    expect(offer.body.assignments[0]).toMatchObject({ userId: tech.userId, role: 'technician' });
    const decline = `/appointments/${offer.body.id}/assignments/${tech.userId}/decline`;
    const old = await tech.post(decline, { reason: 'on leave', availableForFuture: true });
    expect(old.status).toBe(400);
    expect(Object.keys(old.body.errors).sort()).toEqual(['availableForFuture', 'isAvailableForFuture']);
    const declined = await tech.post(decline, { reason: 'on leave', isAvailableForFuture: true });
    expect(declined.status).toBe(200);
    expect(declined.body.assignments[0]).toMatchObject({ status: 'declined', isAvailableForFuture: true });

    const issue = { type: 'kit', severity: 'medium', description: 'filter missing' };
    expect((await tech.post(`/tickets/${ticket.id}/issues`, { ...issue, immediateAction: 'ordered one' })).body.errors).toHaveProperty('immediateAction');
    const reported = await tech.post(`/tickets/${ticket.id}/issues`, { ...issue, immediateActionTaken: 'ordered one' });
    expect(reported.status).toBe(201);
    expect(reported.body).toMatchObject({ immediateActionTaken: 'ordered one' });

    const checkOut = await admin.post(`/appointments/${appointment.id}/check-out`, { hoursWorked: 1 });
    expect(checkOut.status).toBe(400);
    expect(Object.keys(checkOut.body.errors).sort()).toEqual(['lat', 'lng', 'verificationMethod']);
  });

  it('describes the tickets operations in the OpenAPI document, from the classes that validate and answer', async () => {
    const doc = (await (await fetch(`${stack.origin}/docs/openapi.json`)).json()) as OpenApiDocument;
    const schema = (s: SchemaNode): SchemaNode => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s);
    const paths = Object.keys(doc.paths).filter((p) => /^\/(tickets|appointments|settings\/(ticket|appointment)-statuses)/.test(p));
    expect(paths.length).toBeGreaterThanOrEqual(20);
    const create = doc.paths['/tickets'].post;
    expect(create.operationId).toBe('createTicket');
    expect(create.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['contractId', 'eventIds']));
    expect(schema(create.responses['201'].content['application/json'].schema).properties.ticketNumber.example).toBe('TKT-2026-00001');
    const checkIn = doc.paths['/appointments/{id}/check-in'].post.requestBody.content['application/json'].schema;
    const checkOut = doc.paths['/appointments/{id}/check-out'].post.requestBody.content['application/json'].schema;
    expect(checkIn.properties.verificationMethod.enum).toEqual(['gps', 'qrcode', 'manager', 'other']);
    expect(checkIn.required.sort()).toEqual(['lat', 'lng', 'verificationMethod']);
    expect(checkOut.required.sort()).toEqual(checkIn.required.sort());
    const booking = doc.paths['/appointments'].post.requestBody.content['application/json'].schema;
    expect(schema(booking.properties.location.allOf?.[0] ?? booking.properties.location).properties).toHaveProperty('lat');
    const ticketAssignee = create.requestBody.content['application/json'].schema.properties.assignees.items;
    expect(booking.properties.assignees.items).toEqual(ticketAssignee);
    const offer = doc.paths['/appointments/{id}/assignments'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(offer.properties)).toEqual(expect.arrayContaining(Object.keys(schema(ticketAssignee).properties)));
    expect(schema(ticketAssignee).required).toEqual(['userId']);
    expect(doc.paths['/tickets/{id}/evidence'].post.requestBody.content['multipart/form-data'].schema.properties.file).toMatchObject({
      type: 'string',
      format: 'binary',
    });
    expect(doc.paths['/tickets/{id}/evidence'].post.responses).toHaveProperty('415');
    const accept = doc.paths['/appointments/{id}/assignments/{userId}/accept'].post;
    expect(
      accept.parameters
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['id', 'userId']);
    expect(schema(accept.responses['200'].content['application/json'].schema).properties.assignments.type).toBe('array');
    const list = doc.paths['/appointments'].get;
    expect(list.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'assigneeId', 'status', 'limit', 'cursor']),
    );
    expect(doc.paths['/tickets/{id}/evidence/{evidenceId}/file'].get.responses['200'].content).toHaveProperty(['application/octet-stream']);
  });
});
