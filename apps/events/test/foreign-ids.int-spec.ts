import { randomUUID } from 'node:crypto';
import { getEvent, listEvents, transitionEvent } from '@app/shared/api/events/contract-events.operations';
import { activateContract, createContract, createOnDemandEvent } from '@app/shared/api/events/contracts.operations';
import { eventually } from '@app/shared/testing/eventually';
import { referenceContract } from './support/contract-factory';
import { EventsHarness, startEventsHarness } from './support/events-harness';
import { publishEvent } from './support/publish-event';

/**
 * Ids in a request body are checked against the caller's tenant like ids in the path: another tenant's is
 * not found (404, the same answer as for an id nobody has), never used. Path ids: test/events.e2e-spec.ts.
 */
describe('another tenant’s ids in request bodies (events)', () => {
  let h: EventsHarness;
  const other = randomUUID();
  let contractId: string;
  let otherContractId: string;
  let otherEvidence: string;

  beforeAll(async () => {
    h = await startEventsHarness();
    contractId = (await h.rpc.ok(createContract, referenceContract())).id;
    await h.rpc.ok(activateContract, { id: contractId });
    otherContractId = (await h.rpc.ok(createContract, referenceContract(), { tenantId: other })).id;
    await h.rpc.ok(activateContract, { id: otherContractId }, { tenantId: other });
    const [otherEvent] = (await h.rpc.ok(listEvents, { contractId: otherContractId, type: 'service', limit: 1 }, { tenantId: other })).items;
    otherEvidence = randomUUID();
    await publishEvent(h.env, other, 'EVIDENCE_UPLOADED', {
      evidenceId: otherEvidence,
      ticketId: randomUUID(),
      contractId: otherContractId,
      eventId: otherEvent.id,
      type: 'photo',
      status: 'uploaded',
    });
    await eventually(async () => {
      expect((await h.db.query(`SELECT 1 FROM event_evidence WHERE tenant_id = $1 AND evidence_id = $2`, [other, otherEvidence])).rowCount).toBe(1);
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  let used = 0;
  const nextEvent = async () => (await h.rpc.ok(listEvents, { contractId, type: 'service', status: 'scheduled', limit: 200 })).items[used++];

  it('transitionEvent: refuses another tenant’s evidenceIds with 404 on a move that needs no evidence, and moves nothing', async () => {
    const e = await nextEvent();
    const res = await h.rpc.call(transitionEvent, { id: e.id, toStatus: 'assigned', version: e.version, evidenceIds: [otherEvidence] });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: `evidence ${otherEvidence} was not found`, details: { evidenceIds: [otherEvidence] } },
    });
    expect(await h.rpc.ok(getEvent, { id: e.id })).toMatchObject({ status: 'scheduled', version: e.version });
    expect((await h.db.query(`SELECT 1 FROM outbox WHERE type = 'CONTRACT_EVENT_STATUS_CHANGED' AND aggregate_id = $1`, [e.id])).rowCount).toBe(0);
  });

  it('transitionEvent: answers an id nobody has exactly like another tenant’s', async () => {
    const e = await nextEvent();
    const nobody = randomUUID();
    const res = await h.rpc.call(transitionEvent, { id: e.id, toStatus: 'assigned', version: e.version, evidenceIds: [nobody] });
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: `evidence ${nobody} was not found`, details: { evidenceIds: [nobody] } } });
  });

  it('transitionEvent: refuses the tenant’s own evidence of another event with 422, and takes evidence of this one', async () => {
    const e = await nextEvent();
    const elsewhere = await nextEvent();
    const [onOther, onThis] = [randomUUID(), randomUUID()];
    const ticketId = randomUUID();
    await publishEvent(h.env, h.tenantId, 'EVIDENCE_UPLOADED', {
      evidenceId: onOther,
      ticketId,
      contractId,
      eventId: elsewhere.id,
      type: 'photo',
      status: 'uploaded',
    });
    await publishEvent(h.env, h.tenantId, 'EVIDENCE_UPLOADED', { evidenceId: onThis, ticketId, contractId, eventId: e.id, type: 'photo', status: 'uploaded' });
    await eventually(async () => {
      expect((await h.db.query(`SELECT 1 FROM event_evidence WHERE tenant_id = $1 AND ticket_id = $2`, [h.tenantId, ticketId])).rowCount).toBe(2);
    });
    const wrong = await h.rpc.call(transitionEvent, { id: e.id, toStatus: 'assigned', version: e.version, evidenceIds: [onOther] });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE', details: { unknownEvidenceIds: [onOther] } } });
    const ok = await h.rpc.call(transitionEvent, { id: e.id, toStatus: 'assigned', version: e.version, evidenceIds: [onThis] });
    expect(ok).toMatchObject({ ok: true, data: { status: 'assigned' } });
    const out = await h.db.query(`SELECT payload FROM outbox WHERE type = 'CONTRACT_EVENT_STATUS_CHANGED' AND aggregate_id = $1`, [e.id]);
    expect(out.rows[0].payload.evidenceIds).toEqual([onThis]);
  });

  it('createOnDemandEvent: the contract is the caller’s (404 for another tenant’s), the part one it promises (422)', async () => {
    const input = { type: 'service' as const, scheduledDate: '2026-06-01' };
    expect(await h.rpc.call(createOnDemandEvent, { id: otherContractId, ...input })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const part = await h.rpc.call(createOnDemandEvent, { id: contractId, type: 'spare_part', partId: 'PART-OF-NOBODY', scheduledDate: '2026-06-01' });
    expect(part).toMatchObject({ ok: false, error: { code: 'BUSINESS_RULE', details: { partId: 'PART-OF-NOBODY' } } });
  });

  it('listEvents: a filter naming another tenant’s contract finds nothing', async () => {
    expect((await h.rpc.ok(listEvents, { contractId: otherContractId, limit: 10 })).items).toEqual([]);
  });
});
