import { Injectable } from '@nestjs/common';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db, Sql } from '@app/shared/db/sql';
import { NewDomainEvent } from '@app/shared/messaging/envelope';
import { Outbox } from '@app/shared/messaging/outbox';
import { AppliedChange, PlannedChange, StatusChangeKit, StatusChangeRequest } from '@app/shared/status-machine/status-change';
import { StatusHistoryWriter } from '@app/shared/status-machine/status-history';
import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { Clock } from '@app/shared/time/clock';
import { ContractRow, ReadModelRepository } from '../read-model/read-model.repository';
import { APPOINTMENT_HISTORY_EXTRA, isCancelledStatus, isDoneStatus, TicketFlows } from '../settings/ticket-flows';
import { AppointmentRepository, AppointmentRow } from './appointment.repository';
import { StaffAssignmentRepository } from './staff-assignment.repository';

/** A move of an appointment as its hooks see it: who did not show up, and the contract a confirmation names. */
interface AppointmentMoveRequest extends StatusChangeRequest {
  party?: string;
  contract?: ContractRow | null;
}

/**
 * The one place an appointment changes status, through the shared status kit (the tenant's strict flow,
 * the history row, the outbox), with this service's hooks: the row update; a visit that is over withdraws
 * the offers that still hold technicians' time (cancelled: the accepted ones too); and what the move means
 * (APPOINTMENT_CONFIRMED with a message to the customer, _NO_SHOW, _COMPLETED, _CANCELED). The caller
 * holds the appointment's row lock.
 */
@Injectable()
export class AppointmentStatusMover {
  private readonly kit: StatusChangeKit<AppointmentRow, AppointmentMoveRequest>;

  constructor(
    private readonly flows: TicketFlows,
    private readonly appointments: AppointmentRepository,
    private readonly assignments: StaffAssignmentRepository,
    private readonly readModel: ReadModelRepository,
    outbox: Outbox,
    clock: Clock,
    private readonly history: StatusHistoryWriter,
  ) {
    this.kit = new StatusChangeKit<AppointmentRow, AppointmentMoveRequest>(
      { outbox, clock, history },
      { apply: (tx, ctx, changes, history) => this.apply(tx, ctx, changes, history), events: (change) => appointmentEvents(change) },
    );
  }

  async machine(db: Db, tenantId: string): Promise<StatusMachine> {
    return (await this.flows.machines(db, tenantId)).appointment;
  }

  /** The first history row of a new appointment. */
  recordCreated(tx: Db, ctx: RequestContext, a: AppointmentRow): Promise<void> {
    return this.history.write(tx, [
      {
        tenantId: a.tenantId,
        subjectId: a.id,
        from: null,
        to: a.status,
        actor: ctx.actor,
        source: sourceOf(ctx.actor),
        reason: null,
        secondsInPrevious: null,
        isValidTransition: true,
        at: a.statusChangedAt,
        extra: APPOINTMENT_HISTORY_EXTRA,
      },
    ]);
  }

  /** Refuses what the flow refuses, before the caller writes anything else (a reschedule checks first). */
  async check(tx: Db, ctx: RequestContext, a: AppointmentRow, to: string, reason?: string | null): Promise<void> {
    this.kit.plan(ctx, await this.machine(tx, ctx.tenantId), a, { to, reason });
  }

  /** A move a person asks for. */
  async move(tx: Db, ctx: RequestContext, a: AppointmentRow, to: string, opts: { reason?: string | null; party?: string } = {}): Promise<AppointmentRow> {
    const machine = await this.machine(tx, ctx.tenantId);
    const contract = to === 'confirmed' ? await this.readModel.findContract(tx, ctx.tenantId, a.contractId) : undefined;
    const request = { to, reason: opts.reason, party: opts.party, contract, historyExtra: APPOINTMENT_HISTORY_EXTRA };
    return (await this.kit.change(tx, ctx, machine, a, request)).updated;
  }

  /**
   * A move a field step implies (accept → scheduled, check-in → in_progress, last check-out → completed):
   * taken only when the flow defines it from here without a reason. Answers the appointment as it now is.
   */
  async advance(tx: Db, ctx: RequestContext, a: AppointmentRow, to: string): Promise<AppointmentRow> {
    if (a.status === to) return a;
    const machine = await this.machine(tx, ctx.tenantId);
    const t = machine.allowedFrom(a.status).find((m) => m.to === to);
    if (!t || t.requiresReason || t.requiresEvidence) return a;
    return this.move(tx, ctx, a, to);
  }

  private async apply(
    tx: Db,
    ctx: RequestContext,
    changes: readonly PlannedChange<AppointmentRow, AppointmentMoveRequest>[],
    history: Sql,
  ): Promise<AppointmentRow[]> {
    const updated: AppointmentRow[] = [];
    for (const [i, c] of changes.entries()) {
      const version = await this.appointments.setStatus(
        tx,
        { tenantId: ctx.tenantId, id: c.subject.id, status: c.to, at: c.at },
        i === 0 ? history : undefined,
      );
      const cancelled = isCancelledStatus(c.machine, c.to);
      if (cancelled || isDoneStatus(c.machine, c.to)) {
        // Offers nobody answered stop holding anyone's time once the visit is over; a cancelled visit frees everyone.
        await this.assignments.withdraw(tx, ctx.tenantId, c.subject.id, cancelled ? ['offered', 'accepted', 'dispatched', 'en_route'] : ['offered'], c.at);
      }
      updated.push({ ...c.subject, status: c.to, statusChangedAt: c.at, updatedAt: c.at, version });
    }
    return updated;
  }
}

function appointmentEvents(c: AppliedChange<AppointmentRow, AppointmentMoveRequest>): NewDomainEvent[] {
  const a = c.updated;
  const at = c.at.toISOString();
  const emit = (type: string, payload: Record<string, unknown>) => ({
    type,
    aggregateId: a.id,
    aggregateVersion: a.version,
    payload: { appointmentId: a.id, contractId: a.contractId, ticketId: a.ticketId ?? undefined, ...payload },
  });
  const reason = c.request.reason ?? undefined;
  if (c.to === 'confirmed') {
    const contract = c.request.contract;
    const customer = contract?.customer;
    const events: NewDomainEvent[] = [
      emit('APPOINTMENT_CONFIRMED', { startAt: a.startsAt.toISOString(), endAt: a.endsAt.toISOString(), timezone: a.timezone, confirmedAt: at, customer }),
    ];
    if (customer && (customer.phone || customer.email)) {
      events.push({
        type: 'JTD_REQUESTED',
        aggregateId: a.id,
        payload: {
          requestId: `appointment-confirmed:${a.id}:${a.version}`,
          eventType: 'appointment',
          sourceType: 'appointment_created',
          sourceId: a.id,
          recipient: { type: 'customer', id: isUuid(customer.id) ? customer.id : undefined, name: customer.name, email: customer.email, phone: customer.phone },
          variables: {
            customer_name: customer.name,
            appointment_date: formatLocal(a.startsAt, a.timezone),
            appointment_type: 'service visit',
            contract_number: contract?.contractNumber,
          },
        },
      });
    }
    return events;
  }
  if (c.to === 'no_show') return [emit('APPOINTMENT_NO_SHOW', { markedAt: at, party: c.request.party ?? 'customer', notes: reason })];
  if (isDoneStatus(c.machine, c.to)) return [emit('APPOINTMENT_COMPLETED', { completedAt: at, outcome: reason })];
  if (isCancelledStatus(c.machine, c.to)) return [emit('APPOINTMENT_CANCELED', { canceledAt: at, reason })];
  return [];
}

function isUuid(v: string | undefined): v is string {
  return !!v && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}

/** The visit's start in its own timezone, for the customer's message. */
function formatLocal(at: Date, timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-IN', { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone }).format(at);
  } catch {
    return at.toISOString();
  }
}
