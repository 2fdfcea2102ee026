import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { publishRaw, testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { eventually } from '@app/shared/testing/eventually';
import { TestEnvironment } from '@app/shared/testing/test-environment';
import { CreateTicketUseCase } from '../src/tickets/use-cases/create-ticket.use-case';
import { ReadModelRepository } from '../src/read-model/read-model.repository';
import { seedContract } from './support/seed-read-model';
import { rejection, startTicketsHarness, TicketsHarness } from './support/tickets-harness';

/** Issue 14: the tickets read model learns a contract's later statuses from CONTRACT_STATUS_CHANGED. */
describe('contract statuses in the tickets read model', () => {
  let h: TicketsHarness;
  let env: TestEnvironment;
  let app: INestApplication;
  let db: DataSource;
  let ctx: RequestContext;

  beforeAll(async () => {
    h = await startTicketsHarness({ captured: [] });
    ({ env, app, db, ctx } = h);
  });

  afterAll(() => h?.close());

  const statusChanged = (tenantId: string, contractId: string, previousStatus: string, newStatus: string, version: number) =>
    testEnvelope(
      'CONTRACT_STATUS_CHANGED',
      {
        contractId,
        contractNumber: `CN-${contractId.slice(0, 6)}`,
        title: 'AMC',
        previousStatus,
        newStatus,
        changedBy: { type: 'system', id: '00000000-0000-0000-0000-000000000002', name: 'System' },
        source: 'system',
        version,
      },
      { tenantId, aggregateId: contractId },
    );
  const statusOf = async (id: string) => (await db.query(`SELECT status, source_version FROM contract_read_models WHERE id = $1`, [id]))[0];

  it('marks an active contract expired at its end, refuses new tickets on it, and ignores an older status that arrives late', async () => {
    const c = await seedContract(env, { tenantId: h.s.tenantId, withTenant: false, services: 1 });
    await eventually(async () => expect((await statusOf(c.contractId))?.status).toBe('active'));
    const { source_version: activatedAt } = await statusOf(c.contractId);
    await publishRaw(env, [statusChanged(c.tenantId, c.contractId, 'active', 'expired', activatedAt + 1)]);
    await eventually(async () => expect(await statusOf(c.contractId)).toEqual({ status: 'expired', source_version: activatedAt + 1 }));
    const refused = await rejection(app.get(CreateTicketUseCase).execute(ctx, { contractId: c.contractId, eventIds: c.events.service }));
    expect(refused.message).toContain('expired');
    // an older message (a lower version) changes nothing
    await publishRaw(env, [statusChanged(c.tenantId, c.contractId, 'pending_review', 'cancelled', activatedAt - 1)]);
    await new Promise((r) => setTimeout(r, 500));
    expect((await statusOf(c.contractId)).status).toBe('expired');
  });

  const eventRow = async (id: string) =>
    (await db.query(`SELECT tenant_id, status, title, task_id, source_version FROM contract_event_read_models WHERE id = $1`, [id]))[0] as
      { tenant_id: string; status: string; title: string | null; task_id: string | null; source_version: number } | undefined;
  const createdEvent = (contractId: string, eventId: string, n: number) => ({
    eventId,
    contractId,
    taskId: `TSK-${String(n).padStart(5, '0')}`,
    eventType: 'service',
    title: `visit ${n}`,
    status: 'scheduled',
    scheduledDate: new Date().toISOString(),
    originalDate: new Date().toISOString(),
    isUnlimited: false,
  });
  const created = (tenantId: string, contractId: string, eventId: string, n: number) =>
    testEnvelope('CONTRACT_EVENT_CREATED', createdEvent(contractId, eventId, n), { tenantId, aggregateId: eventId, aggregateVersion: 1 });

  it('saves the events of an activation delivered together, keeps a status that overtook them, and leaves another tenant’s row alone', async () => {
    const contractId = randomUUID();
    const ids = Array.from({ length: 40 }, () => randomUUID());
    // A status change (version 3) of event 0 overtakes its CONTRACT_EVENT_CREATED (version 1).
    await publishRaw(env, [
      testEnvelope(
        'CONTRACT_EVENT_STATUS_CHANGED',
        {
          eventId: ids[0],
          contractId,
          eventType: 'service',
          taskId: 'TSK-00000',
          previousStatus: 'scheduled',
          newStatus: 'assigned',
          changedAt: new Date().toISOString(),
          source: 'user',
        },
        { tenantId: h.s.tenantId, aggregateId: ids[0], aggregateVersion: 3 },
      ),
    ]);
    await eventually(async () => expect((await eventRow(ids[0]))?.status).toBe('assigned'));
    const other = randomUUID();
    // Event 1 again under another tenant, in the same delivery: one statement cannot update a row twice, so
    // the batch falls back to one message at a time, and the other tenant's copy changes nothing.
    await publishRaw(env, [...ids.map((id, i) => created(h.s.tenantId, contractId, id, i + 1)), created(other, contractId, ids[1], 99)]);
    await eventually(async () => {
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM contract_event_read_models WHERE contract_id = $1', [contractId]);
      expect(n).toBe(ids.length);
    });
    expect(await eventRow(ids[0])).toEqual({ tenant_id: h.s.tenantId, status: 'assigned', title: 'visit 1', task_id: 'TSK-00000', source_version: 3 });
    // Usually one delivery; on a busy machine the burst can split into two batches handled side by side
    // (MAX_BATCHES_IN_FLIGHT), and the other tenant's copy may then commit first. Either way the id belongs to
    // one tenant, whose row is its own message's, and the other copy changed nothing of it.
    const mine = { tenant_id: h.s.tenantId, status: 'scheduled', title: 'visit 2', task_id: 'TSK-00002', source_version: 1 };
    const theirs = { tenant_id: other, status: 'scheduled', title: 'visit 99', task_id: 'TSK-00099', source_version: 1 };
    const row = await eventRow(ids[1]);
    expect(row).toEqual(row?.tenant_id === other ? theirs : mine);
    expect(await eventRow(ids[39])).toMatchObject({ status: 'scheduled', title: 'visit 40', task_id: 'TSK-00040' });
  });

  it("saves every event an activation's CONTRACT_EVENTS_CREATED lists, with those created on demand delivered beside them", async () => {
    const contractId = randomUUID();
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const listed = ids.slice(0, 5).map((id, i) => createdEvent(contractId, id, i + 1));
    // A status change of a listed event overtakes the list; an event created on demand comes in the same delivery.
    await publishRaw(env, [eventStatusChanged(h.s.tenantId, contractId, ids[2], 'assigned', 2)]);
    await eventually(async () => expect((await eventRow(ids[2]))?.status).toBe('assigned'));
    await publishRaw(env, [
      testEnvelope('CONTRACT_EVENTS_CREATED', { contractId, events: listed }, { tenantId: h.s.tenantId, aggregateId: contractId }),
      created(h.s.tenantId, contractId, ids[5], 6),
    ]);
    await eventually(async () => {
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM contract_event_read_models WHERE contract_id = $1', [contractId]);
      expect(n).toBe(6);
    });
    expect(await eventRow(ids[0])).toEqual({ tenant_id: h.s.tenantId, status: 'scheduled', title: 'visit 1', task_id: 'TSK-00001', source_version: 1 });
    expect(await eventRow(ids[2])).toEqual({ tenant_id: h.s.tenantId, status: 'assigned', title: 'visit 3', task_id: 'TSK-00007', source_version: 2 });
    expect(await eventRow(ids[5])).toMatchObject({ status: 'scheduled', title: 'visit 6', task_id: 'TSK-00006', source_version: 1 });
  });

  const eventStatusChanged = (tenantId: string, contractId: string, eventId: string, newStatus: string, version: number) =>
    testEnvelope(
      'CONTRACT_EVENT_STATUS_CHANGED',
      {
        eventId,
        contractId,
        eventType: 'service',
        taskId: 'TSK-00007',
        previousStatus: 'scheduled',
        newStatus,
        changedAt: new Date().toISOString(),
        source: 'user',
      },
      { tenantId, aggregateId: eventId, aggregateVersion: version },
    );

  it('saves status changes given together as one by one would: the highest version wins, whatever the order', async () => {
    const contractId = randomUUID();
    const [known, unknown] = [randomUUID(), randomUUID()];
    await publishRaw(env, [created(h.s.tenantId, contractId, known, 7)]);
    await eventually(async () => expect((await eventRow(known))?.source_version).toBe(1));
    const change = (id: string, status: string, sourceVersion: number, taskId: string | null = null) => ({
      event: { id, tenantId: h.s.tenantId, contractId, eventType: 'service', taskId },
      status,
      sourceVersion,
    });
    await app
      .get(ReadModelRepository)
      .saveStatusChanges(db.manager, [
        change(known, 'assigned', 3),
        change(unknown, 'assigned', 2),
        change(known, 'in_progress', 5),
        change(unknown, 'in_progress', 4, 'TSK-00077'),
        change(known, 'scheduled', 4, 'TSK-00099'),
        change(unknown, 'scheduled', 3, 'TSK-00088'),
      ]);
    expect(await eventRow(known)).toEqual({ tenant_id: h.s.tenantId, status: 'in_progress', title: 'visit 7', task_id: 'TSK-00007', source_version: 5 });
    // created by the changes that overtook its CONTRACT_EVENT_CREATED: the first task id given stays
    expect(await eventRow(unknown)).toEqual({ tenant_id: h.s.tenantId, status: 'in_progress', title: null, task_id: 'TSK-00077', source_version: 4 });

    // the same through the consumer, however the broker splits them into deliveries
    await publishRaw(env, [
      eventStatusChanged(h.s.tenantId, contractId, known, 'completed', 8),
      eventStatusChanged(h.s.tenantId, contractId, known, 'assigned', 6),
      eventStatusChanged(h.s.tenantId, contractId, known, 'in_progress', 7),
    ]);
    await eventually(async () => expect(await eventRow(known)).toMatchObject({ status: 'completed', source_version: 8 }));
    await new Promise((r) => setTimeout(r, 300));
    expect(await eventRow(known)).toMatchObject({ status: 'completed', source_version: 8 });
  });

  it('keeps contracts that were never activated out of the read model', async () => {
    const id = '5b1f6a2e-0c3d-4e8f-9a7b-6c5d4e3f2a1b';
    await publishRaw(env, [statusChanged(h.s.tenantId, id, 'draft', 'pending_review', 2)]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await statusOf(id)).toBeUndefined();
  });
});
