import { Injectable, Logger } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Envelope } from '@app/shared/messaging/envelope';
import { HandlesEvent } from '@app/shared/messaging/handles-event.decorator';
import { Clock } from '@app/shared/time/clock';
import type { Db } from '@app/shared/db/sql';
import { ContractEventRepository, ContractEventRow } from '../contract-events/contract-event.repository';
import { EventEvidenceRepository } from '../contract-events/event-evidence.repository';
import { EventStatusMover } from '../contract-events/event-status-mover';
import { EventFlowService } from '../status-config/event-flow.service';

interface TicketPayload {
  ticketId: string;
  ticketNumber: string;
  contractId: string;
  eventIds: string[];
}

/** Buckets a ticket in progress pulls forward (seed-systems §2.5: "pulls lagging linked service events forward"). */
const LAGGING = ['upcoming', 'due', 'overdue'];

/**
 * Keeps contract events in step with the tickets that execute them. Every move goes through the tenant's
 * flow (walking its own steps, e.g. scheduled → in_progress → completed) and is audited as the actor of the
 * ticket event; a move the flow or a gate refuses leaves the event as it is and is logged, it does not
 * block the ticket.
 */
@Injectable()
export class TicketEventsConsumer {
  private readonly logger = new Logger('TicketEventsConsumer');

  constructor(
    private readonly events: ContractEventRepository,
    private readonly evidence: EventEvidenceRepository,
    private readonly flows: EventFlowService,
    private readonly mover: EventStatusMover,
    private readonly clock: Clock,
  ) {}

  @HandlesEvent('SERVICE_TICKET_CREATED')
  async onTicketCreated(event: Envelope<TicketPayload>, tx: Db): Promise<void> {
    await this.evidence.linkTicket(tx, event.tenantId, event.payload.ticketId, event.payload.eventIds);
  }

  @HandlesEvent('SERVICE_TICKET_STATUS_CHANGED')
  async onTicketStatusChanged(event: Envelope<TicketPayload & { newStatus: string }>, tx: Db, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    await this.evidence.linkTicket(tx, event.tenantId, p.ticketId, p.eventIds);
    if (p.newStatus !== 'in_progress') return;
    const flow = await this.flows.load(tx, event.tenantId, 'service');
    for (const e of await this.events.findByIds(tx, event.tenantId, p.eventIds, { lock: true })) {
      if (e.eventType !== 'service' || !LAGGING.includes(flow.bucketOf(e.status) ?? '')) continue;
      await this.walk(tx, ctx, e, 'in_progress', [], `Ticket ${p.ticketNumber} in progress`);
    }
  }

  @HandlesEvent('SERVICE_TICKET_COMPLETED')
  async onTicketCompleted(
    event: Envelope<TicketPayload & { evidence: Array<{ eventId: string; evidenceIds: string[] }> }>,
    tx: Db,
    ctx: RequestContext,
  ): Promise<void> {
    const p = event.payload;
    await this.evidence.linkTicket(tx, event.tenantId, p.ticketId, p.eventIds);
    const now = this.clock.now();
    const evidenceOf = new Map<string, string[]>();
    for (const ref of p.evidence ?? []) {
      evidenceOf.set(ref.eventId, [...(evidenceOf.get(ref.eventId) ?? []), ...ref.evidenceIds]);
      // The completed ticket vouches for its evidence even if EVIDENCE_UPLOADED has not arrived yet.
      await this.evidence.vouchFor(tx, event.tenantId, p.ticketId, ref.eventId, ref.evidenceIds, now);
    }
    for (const e of await this.events.findByIds(tx, event.tenantId, p.eventIds, { lock: true })) {
      if (e.eventType === 'billing') continue;
      const flow = await this.flows.load(tx, event.tenantId, e.eventType);
      const target = flow.machine.flow.statuses.find((s) => s.isTerminal && s.category === 'done' && flow.pathTo(e.status, s.code, 6));
      if (!target || flow.status(e.status)?.isTerminal) continue;
      await this.walk(tx, ctx, e, target.code, evidenceOf.get(e.id) ?? [], `Ticket ${p.ticketNumber} completed`);
    }
  }

  @HandlesEvent(['EVIDENCE_UPLOADED', 'EVIDENCE_VERIFIED', 'EVIDENCE_REJECTED'])
  async onEvidence(event: Envelope<{ evidenceId: string; ticketId: string; eventId?: string; status: string }>, tx: Db): Promise<void> {
    const p = event.payload;
    await this.evidence.record(
      tx,
      { tenantId: event.tenantId, evidenceId: p.evidenceId, eventId: p.eventId ?? null, ticketId: p.ticketId, status: p.status },
      this.clock.now(),
    );
  }

  /** Moves an event along the flow's shortest reason-free path to `to`; stops (and logs) where a rule refuses. */
  private async walk(tx: Db, ctx: RequestContext, e: ContractEventRow, to: string, evidenceIds: string[], reason: string) {
    const flow = await this.flows.load(tx, ctx.tenantId, e.eventType);
    const path = flow.pathTo(e.status, to, 6);
    if (!path) return;
    let current = e;
    for (const step of path) {
      try {
        current = await this.mover.move(tx, ctx, current, step, { by: 'system', reason, evidenceIds, flow });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        this.logger.warn(`event ${e.id} stays ${current.status}: ${err.message}`);
        return;
      }
    }
  }
}
