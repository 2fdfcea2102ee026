import { Controller } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
import {
  AcceptAssignmentDto,
  AppointmentIdDto,
  AssignmentTargetDto,
  CheckInDto,
  CheckOutDto,
  CreateAppointmentDto,
  DeclineAssignmentDto,
  EnRouteDto,
  ListAppointmentsDto,
  NoShowDto,
  OfferAssignmentDto,
  RescheduleAppointmentDto,
  TransitionAppointmentDto,
} from '@app/shared/api/tickets/appointments.dto';
import { CheckInOutUseCase } from './use-cases/check-in-out.use-case';
import { CreateAppointmentUseCase } from './use-cases/create-appointment.use-case';
import { DispatchTechnicianUseCase } from './use-cases/dispatch-technician.use-case';
import { OfferAssignmentUseCase } from './use-cases/offer-assignment.use-case';
import { QueryAppointmentsUseCase } from './use-cases/query-appointments.use-case';
import { ReportNoShowUseCase } from './use-cases/report-no-show.use-case';
import { RescheduleAppointmentUseCase } from './use-cases/reschedule-appointment.use-case';
import { RespondToOfferUseCase } from './use-cases/respond-to-offer.use-case';
import { TransitionAppointmentUseCase } from './use-cases/transition-appointment.use-case';

@Controller()
export class AppointmentsRpcController {
  constructor(
    private readonly create: CreateAppointmentUseCase,
    private readonly query: QueryAppointmentsUseCase,
    private readonly transition: TransitionAppointmentUseCase,
    private readonly reschedule: RescheduleAppointmentUseCase,
    private readonly offer: OfferAssignmentUseCase,
    private readonly respond: RespondToOfferUseCase,
    private readonly dispatch: DispatchTechnicianUseCase,
    private readonly checkInOut: CheckInOutUseCase,
    private readonly noShow: ReportNoShowUseCase,
  ) {}

  @RpcHandler('tickets.appointments.create', CreateAppointmentDto)
  onCreate(body: CreateAppointmentDto, ctx: RequestContext) {
    return this.create.execute(ctx, body);
  }

  @RpcHandler('tickets.appointments.list', ListAppointmentsDto)
  onList(body: ListAppointmentsDto, ctx: RequestContext) {
    return this.query.list(ctx, body);
  }

  @RpcHandler('tickets.appointments.get', AppointmentIdDto)
  onGet(body: AppointmentIdDto, ctx: RequestContext) {
    return this.query.get(ctx, body);
  }

  @RpcHandler('tickets.appointments.transition', TransitionAppointmentDto)
  onTransition(body: TransitionAppointmentDto, ctx: RequestContext) {
    return this.transition.execute(ctx, body);
  }

  @RpcHandler('tickets.appointments.reschedule', RescheduleAppointmentDto)
  onReschedule(body: RescheduleAppointmentDto, ctx: RequestContext) {
    return this.reschedule.execute(ctx, body);
  }

  @RpcHandler('tickets.appointments.offer', OfferAssignmentDto)
  onOffer(body: OfferAssignmentDto, ctx: RequestContext) {
    return this.offer.execute(ctx, body);
  }

  @RpcHandler('tickets.appointments.accept', AcceptAssignmentDto)
  onAccept(body: AcceptAssignmentDto, ctx: RequestContext) {
    return this.respond.accept(ctx, body);
  }

  @RpcHandler('tickets.appointments.decline', DeclineAssignmentDto)
  onDecline(body: DeclineAssignmentDto, ctx: RequestContext) {
    return this.respond.decline(ctx, body);
  }

  @RpcHandler('tickets.appointments.dispatch', AssignmentTargetDto)
  onDispatch(body: AssignmentTargetDto, ctx: RequestContext) {
    return this.dispatch.dispatch(ctx, body);
  }

  @RpcHandler('tickets.appointments.en-route', EnRouteDto)
  onEnRoute(body: EnRouteDto, ctx: RequestContext) {
    return this.dispatch.enRoute(ctx, body);
  }

  @RpcHandler('tickets.appointments.check-in', CheckInDto)
  onCheckIn(body: CheckInDto, ctx: RequestContext) {
    return this.checkInOut.checkIn(ctx, body);
  }

  @RpcHandler('tickets.appointments.check-out', CheckOutDto)
  onCheckOut(body: CheckOutDto, ctx: RequestContext) {
    return this.checkInOut.checkOut(ctx, body);
  }

  @RpcHandler('tickets.appointments.no-show', NoShowDto)
  onNoShow(body: NoShowDto, ctx: RequestContext) {
    return this.noShow.execute(ctx, body);
  }
}
