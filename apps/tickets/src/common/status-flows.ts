import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { StatusFlowStore } from '@app/shared/status-machine/status-flow.store';
import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { APPOINTMENT_MACHINE, TICKET_MACHINE } from '@app/shared/api/tickets/tickets.vocabulary';

export type TicketsMachine = typeof TICKET_MACHINE | typeof APPOINTMENT_MACHINE;

/** The ticket and appointment flows of a tenant (its override, else the system defaults), strictly enforced. */
@Injectable()
export class StatusFlows {
  readonly store: StatusFlowStore;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.store = new StatusFlowStore(dataSource);
  }

  machine(tenantId: string, machine: TicketsMachine, tx?: EntityManager): Promise<StatusMachine> {
    return this.store.machine(tenantId, machine, 'strict', tx);
  }
}

/** Semantic status codes the effects hang on; tenant flows keep these codes (or use the matching category). */
export function isDoneStatus(machine: StatusMachine, code: string): boolean {
  return code === 'completed' || machine.status(code)?.category === 'done';
}

export function isCancelledStatus(machine: StatusMachine, code: string): boolean {
  return code === 'cancelled' || code === 'no_show' || machine.status(code)?.category === 'cancelled';
}

export function isClosedStatus(machine: StatusMachine, code: string): boolean {
  return isDoneStatus(machine, code) || isCancelledStatus(machine, code) || machine.status(code)?.isTerminal === true;
}
