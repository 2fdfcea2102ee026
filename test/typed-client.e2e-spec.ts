import { randomUUID } from 'node:crypto';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { eventually } from '@app/shared/testing/eventually';
import { startStack, Stack } from './support/stack';

/**
 * A service visit from contract to inbox through the typed client (libs/client): the compiler checks every
 * path, parameter and body against the OpenAPI document, and the stack checks every answer against it.
 */
describe('a visit through the typed client', () => {
  let env: TestEnvironment;
  let stack: Stack;
  const tenantId = randomUUID();
  const technicianId = randomUUID();

  beforeAll(async () => {
    env = await createTestEnvironment();
    stack = await startStack(env, { env: { 'jtd-dispatcher': { JTD_POLL_INTERVAL_MS: '200' } } });
    await stack.registerTenant(tenantId);
  });

  afterAll(async () => {
    await stack?.close();
    await env?.dispose();
  });

  it('plans 12 monthly visits, moves one, books a ticket and a visit, accepts, checks in and notifies the technician', async () => {
    const platform = stack.client(authHeader({ tenantId, userId: randomUUID(), roles: ['platform_admin'] }));
    const tenant = await platform.POST('/tenants', { body: { name: 'Typed Client Cooling', timezone: 'Asia/Kolkata' } });
    expect(tenant.response.status).toBe(201);
    const admin = stack.client(authHeader({ tenantId: tenant.data!.id, userId: randomUUID(), roles: ['admin'], name: 'Asha Admin' }));
    const technician = stack.client(authHeader({ tenantId: tenant.data!.id, userId: technicianId, roles: ['technician'], name: 'Ravi' }));

    const contract = await admin.POST('/contracts', {
      body: {
        contractNumber: 'AMC-TC-1',
        title: 'Chiller care',
        timezone: 'Asia/Kolkata',
        customer: { name: 'Lakeview Towers', email: 'facilities@lakeview.example' },
        startDate: '2027-01-01',
        endDate: '2027-12-31',
        services: [{ name: 'Monthly visit', quantity: 12, every: { unit: 'month', interval: 1 } }],
        spareParts: [],
        billing: { mode: 'prepaid', total: '1200.00', currency: 'INR' },
      },
    });
    expect(contract.error).toBeUndefined();
    const contractId = contract.data!.id;

    const activated = await admin.POST('/contracts/{id}/activate', { params: { path: { id: contractId } } });
    expect(activated.data).toMatchObject({ status: 'active', totalEvents: 13 });

    const visits = await admin.GET('/events', { params: { query: { contractId, type: 'service', limit: 20 } } });
    expect(visits.data!.items).toHaveLength(12);
    const months = visits.data!.items.map((e) => new Date(e.scheduledDate).toISOString().slice(0, 7));
    expect(new Set(months).size).toBe(12);
    const visit = visits.data!.items[0];

    const stale = await admin.POST('/events/{id}/transitions', {
      params: { path: { id: visit.id } },
      body: { toStatus: 'assigned', version: visit.version + 5 },
    });
    expect(stale.error).toMatchObject({ status: 409, code: 'VERSION_CONFLICT' });
    const moved = await admin.POST('/events/{id}/transitions', { params: { path: { id: visit.id } }, body: { toStatus: 'assigned', version: visit.version } });
    expect(moved.data).toMatchObject({ status: 'assigned', taskId: expect.stringMatching(/^TSK-\d{5}$/) });

    const ticket = await admin.POST('/tickets', { body: { contractId, eventIds: [visit.id], assignees: [{ userId: technicianId, name: 'Ravi' }] } });
    expect(ticket.data!.ticketNumber).toMatch(/^TKT-\d{4}-\d{5}$/);

    const appointment = await admin.POST('/appointments', {
      body: {
        contractId,
        ticketId: ticket.data!.id,
        eventIds: [visit.id],
        startsAt: '2027-01-04T10:00:00+05:30',
        endsAt: '2027-01-04T12:00:00+05:30',
        timezone: 'Asia/Kolkata',
        location: { address: 'Plant room B2', lat: 19.07, lng: 72.87 },
        assignees: [{ userId: technicianId, name: 'Ravi' }],
      },
    });
    expect(appointment.error).toBeUndefined();
    const accepted = await technician.POST('/appointments/{id}/assignments/{userId}/accept', {
      params: { path: { id: appointment.data!.id, userId: technicianId } },
    });
    expect(accepted.error).toBeUndefined();
    const checkIn = await technician.POST('/appointments/{id}/check-in', {
      params: { path: { id: appointment.data!.id } },
      body: { lat: 19.0701, lng: 72.8702, verificationMethod: 'gps' },
    });
    expect(checkIn.error).toBeUndefined();

    const job = await admin.POST('/jtd', {
      body: {
        sourceType: 'system',
        channel: 'inapp',
        recipient: { type: 'user', id: technicianId, name: 'Ravi' },
        variables: { title: 'Visit booked', body: 'Chiller care, 4 January' },
      },
    });
    expect(job.data!.items).toHaveLength(1);
    await eventually(async () => {
      const inbox = await technician.GET('/inbox', { params: { query: { unread: true } } });
      expect(inbox.data!.items.map((i) => i.title)).toContain('Visit booked');
    });
  });

  it('answers a typed problem for a bad request', async () => {
    const admin = stack.client(authHeader({ tenantId, userId: randomUUID(), roles: ['admin'] }));
    const res = await admin.GET('/events', { params: { query: { cursor: 'not-a-cursor' } } });
    expect(res.response.status).toBe(400);
    expect(res.error).toMatchObject({ code: 'INVALID_CURSOR', errors: { cursor: [expect.any(String)] } });
  });
});
