import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { closeApp } from '@app/shared/app/create-service-app';
import { RequestContext } from '@app/shared/context/request-context';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { createTicketsApp } from '../src/tickets.app';
import { CreateTicketUseCase } from '../src/tickets/use-cases/create-ticket.use-case';
import { seedContract, SeededContract } from './support/seed-read-model';

const ctxOf = (tenantId: string): RequestContext => ({
  tenantId,
  actor: { type: 'user', id: randomUUID(), name: 'Dispatcher' },
  roles: ['admin'],
  correlationId: randomUUID(),
});

describe('ticket numbers (TKT-<year>-<5 digits>, per tenant, per year)', () => {
  let env: TestEnvironment;
  let app: INestApplication;
  let clock: FixedClock;
  let create: CreateTicketUseCase;
  let db: DataSource;

  async function seeded(opts: Parameters<typeof seedContract>[1]): Promise<SeededContract> {
    const s = await seedContract(env, opts);
    const all = [...s.events.service, ...s.events.sparePart, ...s.events.billing];
    await eventually(async () => {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM contract_event_read_models WHERE id = ANY($1::uuid[])`, [all]);
      expect(n).toBe(all.length);
    });
    return s;
  }

  beforeAll(async () => {
    env = await createTestEnvironment();
    clock = new FixedClock(new Date('2026-12-31T18:00:00Z'));
    app = await createTicketsApp(env.env('tickets'), { clock });
    create = app.get(CreateTicketUseCase);
    db = app.get(DataSource);
  });

  afterAll(async () => {
    if (app) await closeApp(app);
    await env?.dispose();
  });

  it('restarts at 00001 when the year turns in the tenant’s timezone, not in UTC', async () => {
    const kolkata = await seeded({ timezone: 'Asia/Kolkata', services: 3 });
    const ctx = ctxOf(kolkata.tenantId);
    // 18:00Z on 31 Dec is 23:30 in Kolkata: still 2026.
    clock.set('2026-12-31T18:00:00Z');
    const a = await create.execute(ctx, { contractId: kolkata.contractId, eventIds: [kolkata.events.service[0]] });
    const b = await create.execute(ctx, { contractId: kolkata.contractId, eventIds: [kolkata.events.service[1]] });
    // 18:31Z is 00:01 on 1 Jan 2027 in Kolkata, while UTC is still in 2026.
    clock.set('2026-12-31T18:31:00Z');
    const c = await create.execute(ctx, { contractId: kolkata.contractId, eventIds: [kolkata.events.service[2]] });
    expect([a.ticketNumber, b.ticketNumber, c.ticketNumber]).toEqual(['TKT-2026-00001', 'TKT-2026-00002', 'TKT-2027-00001']);
  });

  it('uses UTC years for a tenant whose timezone this service has not heard of', async () => {
    const unknown = await seeded({ withTenant: false, services: 1 });
    clock.set('2026-12-31T18:31:00Z');
    const t = await create.execute(ctxOf(unknown.tenantId), { contractId: unknown.contractId, eventIds: [unknown.events.service[0]] });
    expect(t.ticketNumber).toBe('TKT-2026-00001');
  });

  it('keeps numbers unique and gap-free when many tickets are opened at once', async () => {
    const s = await seeded({ services: 40, spareParts: 0, billing: 0 });
    clock.set('2026-06-01T10:00:00Z');
    const ctx = ctxOf(s.tenantId);
    const tickets = await Promise.all(s.events.service.map((eventId) => create.execute(ctx, { contractId: s.contractId, eventIds: [eventId] })));
    const numbers = tickets.map((t) => t.ticketNumber).sort();
    expect(new Set(numbers).size).toBe(40);
    expect(numbers[0]).toBe('TKT-2026-00001');
    expect(numbers[39]).toBe('TKT-2026-00040');
  });

  it('numbers each tenant on its own', async () => {
    const one = await seeded({ services: 1 });
    const two = await seeded({ services: 1 });
    clock.set('2026-03-01T10:00:00Z');
    const a = await create.execute(ctxOf(one.tenantId), { contractId: one.contractId, eventIds: one.events.service });
    const b = await create.execute(ctxOf(two.tenantId), { contractId: two.contractId, eventIds: two.events.service });
    expect(a.ticketNumber).toBe('TKT-2026-00001');
    expect(b.ticketNumber).toBe('TKT-2026-00001');
  });

  it('opens a ticket asked for a moment before the contract reaches the read model, and still refuses an unknown one', async () => {
    const tenantId = randomUUID();
    const contractId = randomUUID();
    const eventId = randomUUID();
    clock.set('2026-03-01T10:00:00Z');
    // The request arrives first; the contract's events follow 300 ms later, as they would from the events service.
    const asked = create.execute(ctxOf(tenantId), { contractId, eventIds: [eventId] });
    await new Promise((r) => setTimeout(r, 300));
    await seedContract(env, { tenantId, contractId, serviceEventIds: [eventId], services: 1 });
    await expect(asked).resolves.toMatchObject({ contractId, eventIds: [eventId] });

    await expect(create.execute(ctxOf(tenantId), { contractId: randomUUID(), eventIds: [randomUUID()] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
