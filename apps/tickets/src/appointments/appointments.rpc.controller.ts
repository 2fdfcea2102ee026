import { Controller } from '@nestjs/common';
import {
  AcceptAssignmentDto,
  AppointmentRef,
  AssignmentRef,
  CheckInDto,
  CheckOutDto,
  CreateAppointmentDto,
  DeclineAssignmentDto,
  EnRouteDto,
  ListAppointmentsQuery,
  NoShowDto,
  OfferAssignmentDto,
  RescheduleAppointmentDto,
  TransitionAppointmentDto,
} from '@app/shared/api/tickets/appointments.dto';
import {
  acceptAssignment,
  checkInAppointment,
  checkOutAppointment,
  createAppointment,
  declineAssignment,
  dispatchTechnician,
  getAppointment,
  listAppointments,
  offerAssignment,
  reportEnRoute,
  reportNoShow,
  rescheduleAppointment,
  transitionAppointment,
} from '@app/shared/api/tickets/appointments.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
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

  @Handles(createAppointment)
  onCreate(input: CreateAppointmentDto, ctx: RequestContext) {
    return this.create.execute(ctx, input);
  }

  @Handles(listAppointments)
  onList(input: ListAppointmentsQuery, ctx: RequestContext) {
    return this.query.list(ctx, input);
  }

  @Handles(getAppointment)
  onGet(input: AppointmentRef, ctx: RequestContext) {
    return this.query.get(ctx, input);
  }

  @Handles(transitionAppointment)
  onTransition(input: TransitionAppointmentDto, ctx: RequestContext) {
    return this.transition.execute(ctx, input);
  }

  @Handles(rescheduleAppointment)
  onReschedule(input: RescheduleAppointmentDto, ctx: RequestContext) {
    return this.reschedule.execute(ctx, input);
  }

  @Handles(offerAssignment)
  onOffer(input: OfferAssignmentDto, ctx: RequestContext) {
    return this.offer.execute(ctx, input);
  }

  @Handles(acceptAssignment)
  onAccept(input: AcceptAssignmentDto, ctx: RequestContext) {
    return this.respond.accept(ctx, input);
  }

  @Handles(declineAssignment)
  onDecline(input: DeclineAssignmentDto, ctx: RequestContext) {
    return this.respond.decline(ctx, input);
  }

  @Handles(dispatchTechnician)
  onDispatch(input: AssignmentRef, ctx: RequestContext) {
    return this.dispatch.dispatch(ctx, input);
  }

  @Handles(reportEnRoute)
  onEnRoute(input: EnRouteDto, ctx: RequestContext) {
    return this.dispatch.enRoute(ctx, input);
  }

  @Handles(checkInAppointment)
  onCheckIn(input: CheckInDto, ctx: RequestContext) {
    return this.checkInOut.checkIn(ctx, input);
  }

  @Handles(checkOutAppointment)
  onCheckOut(input: CheckOutDto, ctx: RequestContext) {
    return this.checkInOut.checkOut(ctx, input);
  }

  @Handles(reportNoShow)
  onNoShow(input: NoShowDto, ctx: RequestContext) {
    return this.noShow.execute(ctx, input);
  }
}
