import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { publishRaw, testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { eventually } from '@app/shared/testing/eventually';
import { TestEnvironment } from '@app/shared/testing/test-environment';
import { CreateTicketUseCase } from '../src/tickets/use-cases/create-ticket.use-case';
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

  it('keeps contracts that were never activated out of the read model', async () => {
    const id = '5b1f6a2e-0c3d-4e8f-9a7b-6c5d4e3f2a1b';
    await publishRaw(env, [statusChanged(h.s.tenantId, id, 'draft', 'pending_review', 2)]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await statusOf(id)).toBeUndefined();
  });
});
