import { Controller } from '@nestjs/common';
import { NoInput } from '@app/shared/api/platform/messaging.dto';
import { ReplaceTicketFlowDto } from '@app/shared/api/tickets/status-flow-settings.dto';
import {
  getAppointmentStatuses,
  getTicketStatuses,
  replaceAppointmentStatuses,
  replaceTicketStatuses,
  resetAppointmentStatuses,
  resetTicketStatuses,
} from '@app/shared/api/tickets/ticket-settings.operations';
import { APPOINTMENT_MACHINE, TICKET_MACHINE } from '@app/shared/api/tickets/tickets.vocabulary';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { StatusFlowSettingsUseCase } from './status-flow-settings.use-case';

@Controller()
export class SettingsRpcController {
  constructor(private readonly settings: StatusFlowSettingsUseCase) {}

  @Handles(getTicketStatuses)
  getTicket(_input: NoInput, ctx: RequestContext) {
    return this.settings.get(ctx, TICKET_MACHINE);
  }

  @Handles(replaceTicketStatuses)
  putTicket(input: ReplaceTicketFlowDto, ctx: RequestContext) {
    return this.settings.put(ctx, TICKET_MACHINE, input);
  }

  @Handles(resetTicketStatuses)
  resetTicket(_input: NoInput, ctx: RequestContext) {
    return this.settings.reset(ctx, TICKET_MACHINE);
  }

  @Handles(getAppointmentStatuses)
  getAppointment(_input: NoInput, ctx: RequestContext) {
    return this.settings.get(ctx, APPOINTMENT_MACHINE);
  }

  @Handles(replaceAppointmentStatuses)
  putAppointment(input: ReplaceTicketFlowDto, ctx: RequestContext) {
    return this.settings.put(ctx, APPOINTMENT_MACHINE, input);
  }

  @Handles(resetAppointmentStatuses)
  resetAppointment(_input: NoInput, ctx: RequestContext) {
    return this.settings.reset(ctx, APPOINTMENT_MACHINE);
  }
}
