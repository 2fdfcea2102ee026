import { Controller } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
import { PutStatusFlowDto } from '@app/shared/api/tickets/status-flow-settings.dto';
import { APPOINTMENT_MACHINE, TICKET_MACHINE } from '@app/shared/api/tickets/tickets.vocabulary';
import { StatusFlowSettingsUseCase } from './status-flow-settings.use-case';

@Controller()
export class SettingsRpcController {
  constructor(private readonly settings: StatusFlowSettingsUseCase) {}

  @RpcHandler('tickets.settings.get-ticket-statuses')
  getTicket(_body: unknown, ctx: RequestContext) {
    return this.settings.get(ctx, TICKET_MACHINE);
  }

  @RpcHandler('tickets.settings.put-ticket-statuses', PutStatusFlowDto)
  putTicket(body: PutStatusFlowDto, ctx: RequestContext) {
    return this.settings.put(ctx, TICKET_MACHINE, body);
  }

  @RpcHandler('tickets.settings.reset-ticket-statuses')
  resetTicket(_body: unknown, ctx: RequestContext) {
    return this.settings.reset(ctx, TICKET_MACHINE);
  }

  @RpcHandler('tickets.settings.get-appointment-statuses')
  getAppointment(_body: unknown, ctx: RequestContext) {
    return this.settings.get(ctx, APPOINTMENT_MACHINE);
  }

  @RpcHandler('tickets.settings.put-appointment-statuses', PutStatusFlowDto)
  putAppointment(body: PutStatusFlowDto, ctx: RequestContext) {
    return this.settings.put(ctx, APPOINTMENT_MACHINE, body);
  }

  @RpcHandler('tickets.settings.reset-appointment-statuses')
  resetAppointment(_body: unknown, ctx: RequestContext) {
    return this.settings.reset(ctx, APPOINTMENT_MACHINE);
  }
}
