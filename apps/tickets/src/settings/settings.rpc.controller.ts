import { Controller } from '@nestjs/common';
import { NoInput } from '@app/shared/api/platform/messaging.dto';
import { ReplaceCheckInSettingsDto, ReplaceEvidenceTypesDto } from '@app/shared/api/tickets/field-settings.dto';
import { ReplaceTicketFlowDto } from '@app/shared/api/tickets/status-flow-settings.dto';
import {
  getAppointmentStatuses,
  getCheckInSettings,
  getEvidenceTypes,
  replaceCheckInSettings,
  replaceEvidenceTypes,
  resetEvidenceTypes,
  getTicketStatuses,
  replaceAppointmentStatuses,
  replaceTicketStatuses,
  resetAppointmentStatuses,
  resetTicketStatuses,
} from '@app/shared/api/tickets/ticket-settings.operations';
import { APPOINTMENT_MACHINE, TICKET_MACHINE } from '@app/shared/api/tickets/tickets.vocabulary';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { GetStatusFlowUseCase } from './use-cases/get-status-flow.use-case';
import { ReplaceStatusFlowUseCase } from './use-cases/replace-status-flow.use-case';
import { ResetStatusFlowUseCase } from './use-cases/reset-status-flow.use-case';
import { GetCheckInSettingsUseCase, ReplaceCheckInSettingsUseCase } from './use-cases/check-in-settings.use-cases';
import { GetEvidenceTypesUseCase, ReplaceEvidenceTypesUseCase, ResetEvidenceTypesUseCase } from './use-cases/evidence-types.use-cases';

@Controller()
export class SettingsRpcController {
  constructor(
    private readonly getFlow: GetStatusFlowUseCase,
    private readonly replaceFlow: ReplaceStatusFlowUseCase,
    private readonly resetFlow: ResetStatusFlowUseCase,
    private readonly getTypes: GetEvidenceTypesUseCase,
    private readonly replaceTypes: ReplaceEvidenceTypesUseCase,
    private readonly resetTypes: ResetEvidenceTypesUseCase,
    private readonly getCheckIn: GetCheckInSettingsUseCase,
    private readonly replaceCheckIn: ReplaceCheckInSettingsUseCase,
  ) {}

  @Handles(getTicketStatuses)
  getTicket(_input: NoInput, ctx: RequestContext) {
    return this.getFlow.execute(ctx, { machine: TICKET_MACHINE });
  }

  @Handles(replaceTicketStatuses)
  replaceTicket(input: ReplaceTicketFlowDto, ctx: RequestContext) {
    return this.replaceFlow.execute(ctx, { ...input, machine: TICKET_MACHINE });
  }

  @Handles(resetTicketStatuses)
  resetTicket(_input: NoInput, ctx: RequestContext) {
    return this.resetFlow.execute(ctx, { machine: TICKET_MACHINE });
  }

  @Handles(getAppointmentStatuses)
  getAppointment(_input: NoInput, ctx: RequestContext) {
    return this.getFlow.execute(ctx, { machine: APPOINTMENT_MACHINE });
  }

  @Handles(replaceAppointmentStatuses)
  replaceAppointment(input: ReplaceTicketFlowDto, ctx: RequestContext) {
    return this.replaceFlow.execute(ctx, { ...input, machine: APPOINTMENT_MACHINE });
  }

  @Handles(resetAppointmentStatuses)
  resetAppointment(_input: NoInput, ctx: RequestContext) {
    return this.resetFlow.execute(ctx, { machine: APPOINTMENT_MACHINE });
  }

  @Handles(getEvidenceTypes)
  getEvidenceTypes(input: NoInput, ctx: RequestContext) {
    return this.getTypes.execute(ctx, input);
  }

  @Handles(replaceEvidenceTypes)
  replaceEvidenceTypes(input: ReplaceEvidenceTypesDto, ctx: RequestContext) {
    return this.replaceTypes.execute(ctx, input);
  }

  @Handles(resetEvidenceTypes)
  resetEvidenceTypes(input: NoInput, ctx: RequestContext) {
    return this.resetTypes.execute(ctx, input);
  }

  @Handles(getCheckInSettings)
  getCheckInSettings(input: NoInput, ctx: RequestContext) {
    return this.getCheckIn.execute(ctx, input);
  }

  @Handles(replaceCheckInSettings)
  replaceCheckInSettings(input: ReplaceCheckInSettingsDto, ctx: RequestContext) {
    return this.replaceCheckIn.execute(ctx, input);
  }
}
