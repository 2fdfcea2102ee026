import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { Outbox } from '@app/shared/messaging/outbox';
import { NewDomainEvent } from '@app/shared/messaging/envelope';
import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { APPOINTMENT_MACHINE } from '@app/shared/api/tickets/tickets.vocabulary';
import { isCancelledStatus, isDoneStatus, StatusFlows } from '../common/status-flows';
import { recordStatusChange } from '../common/status-history';
import { ReadModelRepository } from '../read-model/read-model.repository';
import { AppointmentEntity, StaffAssignmentEntity } from './appointment.entities';

export interface AppointmentMove {
  to: string;
  reason?: string | null;
  party?: string;
  at: Date;
}

/**
 * The one place an appointment changes status: checks the tenant's flow, writes history, bumps the version
 * and emits what the move means (confirmed, canceled, completed, no-show). Confirmation also asks the JTD
 * dispatcher to tell the customer. Cancelling withdraws the offers that still hold technicians' time.
 */
@Injectable()
export class AppointmentStatusService {
  constructor(
    private readonly flows: StatusFlows,
    private readonly readModel: ReadModelRepository,
    private readonly outbox: Outbox,
  ) {}

  machine(tx: EntityManager, tenantId: string): Promise<StatusMachine> {
    return this.flows.machine(tenantId, APPOINTMENT_MACHINE, tx);
  }

  async move(tx: EntityManager, ctx: RequestContext, appointment: AppointmentEntity, move: AppointmentMove): Promise<void> {
    const machine = await this.machine(tx, ctx.tenantId);
    machine.check({ from: appointment.status, to: move.to, reason: move.reason });
    await this.apply(tx, ctx, machine, appointment, move);
  }

  async advanceIfAllowed(tx: EntityManager, ctx: RequestContext, appointment: AppointmentEntity, to: string, at: Date): Promise<boolean> {
    if (appointment.status === to) return false;
    const machine = await this.machine(tx, ctx.tenantId);
    const t = machine.allowedFrom(appointment.status).find((m) => m.to === to);
    if (!t || t.requiresReason || t.requiresEvidence) return false;
    await this.apply(tx, ctx, machine, appointment, { to, at });
    return true;
  }

  private async apply(tx: EntityManager, ctx: RequestContext, machine: StatusMachine, a: AppointmentEntity, move: AppointmentMove): Promise<void> {
    const from = a.status;
    const since = a.statusChangedAt;
    a.status = move.to;
    a.statusChangedAt = move.at;
    a.updatedAt = move.at;
    a.version += 1;
    await tx.save(AppointmentEntity, a);
    await recordStatusChange(tx, ctx, { entityType: 'appointment', entityId: a.id, from, to: move.to, reason: move.reason, since, at: move.at });

    const base = { appointmentId: a.id, contractId: a.contractId, ticketId: a.ticketId ?? undefined };
    const at = move.at.toISOString();
    const events: NewDomainEvent<any>[] = [];
    const emit = (type: string, payload: Record<string, unknown>) =>
      events.push({ type, aggregateId: a.id, aggregateVersion: a.version, payload: { ...base, ...payload } });

    if (move.to === 'confirmed') {
      const contract = await this.readModel.findContract(tx, ctx.tenantId, a.contractId);
      emit('APPOINTMENT_CONFIRMED', { startAt: a.startsAt.toISOString(), endAt: a.endsAt.toISOString(), timezone: a.timezone, confirmedAt: at, customer: contract?.customer });
      const customer = contract?.customer;
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
    } else if (move.to === 'no_show') {
      emit('APPOINTMENT_NO_SHOW', { markedAt: at, party: move.party ?? 'customer', notes: move.reason ?? undefined });
    } else if (isDoneStatus(machine, move.to)) {
      emit('APPOINTMENT_COMPLETED', { completedAt: at, outcome: move.reason ?? undefined });
    } else if (isCancelledStatus(machine, move.to)) {
      emit('APPOINTMENT_CANCELED', { canceledAt: at, reason: move.reason ?? undefined });
    }
    if (isCancelledStatus(machine, move.to) || isDoneStatus(machine, move.to)) {
      // Offers nobody answered stop holding anyone's time once the visit is over.
      await tx
        .createQueryBuilder()
        .update(StaffAssignmentEntity)
        .set({ status: 'withdrawn', updatedAt: move.at, version: () => 'version + 1' })
        .where('appointment_id = :id AND status = :offered', { id: a.id, offered: 'offered' })
        .execute();
      if (isCancelledStatus(machine, move.to)) {
        await tx
          .createQueryBuilder()
          .update(StaffAssignmentEntity)
          .set({ status: 'withdrawn', updatedAt: move.at, version: () => 'version + 1' })
          .where('appointment_id = :id AND status IN (:...live)', { id: a.id, live: ['accepted', 'dispatched', 'en_route'] })
          .execute();
      }
    }
    if (events.length > 0) await this.outbox.append(tx, ctx, events);
  }
}

function isUuid(v: string | undefined): v is string {
  return !!v && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}

function formatLocal(at: Date, timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-IN', { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone }).format(at);
  } catch {
    return at.toISOString();
  }
}
