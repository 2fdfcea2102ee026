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
import { ConfirmLocationDto, ReportLocationIssueDto } from '@app/shared/api/tickets/locations.dto';
import {
  acceptAssignment,
  checkInAppointment,
  confirmAppointmentLocation,
  reportLocationIssue,
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
import { AcceptOfferUseCase } from './use-cases/accept-offer.use-case';
import { CheckInUseCase } from './use-cases/check-in.use-case';
import { CheckOutUseCase } from './use-cases/check-out.use-case';
import { ConfirmLocationUseCase } from './use-cases/confirm-location.use-case';
import { ReportLocationIssueUseCase } from './use-cases/report-location-issue.use-case';
import { CreateAppointmentUseCase } from './use-cases/create-appointment.use-case';
import { DeclineOfferUseCase } from './use-cases/decline-offer.use-case';
import { DispatchTechnicianUseCase } from './use-cases/dispatch-technician.use-case';
import { GetAppointmentUseCase } from './use-cases/get-appointment.use-case';
import { ListAppointmentsUseCase } from './use-cases/list-appointments.use-case';
import { OfferAssignmentUseCase } from './use-cases/offer-assignment.use-case';
import { ReportEnRouteUseCase } from './use-cases/report-en-route.use-case';
import { ReportNoShowUseCase } from './use-cases/report-no-show.use-case';
import { RescheduleAppointmentUseCase } from './use-cases/reschedule-appointment.use-case';
import { TransitionAppointmentUseCase } from './use-cases/transition-appointment.use-case';

@Controller()
export class AppointmentsRpcController {
  constructor(
    private readonly confirmLocationUseCase: ConfirmLocationUseCase,
    private readonly reportLocationIssueUseCase: ReportLocationIssueUseCase,
    private readonly createAppointment: CreateAppointmentUseCase,
    private readonly listAppointments: ListAppointmentsUseCase,
    private readonly getAppointment: GetAppointmentUseCase,
    private readonly transitionAppointment: TransitionAppointmentUseCase,
    private readonly rescheduleAppointment: RescheduleAppointmentUseCase,
    private readonly offerAssignment: OfferAssignmentUseCase,
    private readonly acceptOffer: AcceptOfferUseCase,
    private readonly declineOffer: DeclineOfferUseCase,
    private readonly dispatchTechnician: DispatchTechnicianUseCase,
    private readonly reportEnRoute: ReportEnRouteUseCase,
    private readonly checkIn: CheckInUseCase,
    private readonly checkOut: CheckOutUseCase,
    private readonly reportNoShow: ReportNoShowUseCase,
  ) {}

  @Handles(createAppointment)
  create(input: CreateAppointmentDto, ctx: RequestContext) {
    return this.createAppointment.execute(ctx, input);
  }

  @Handles(listAppointments)
  list(input: ListAppointmentsQuery, ctx: RequestContext) {
    return this.listAppointments.execute(ctx, input);
  }

  @Handles(getAppointment)
  get(input: AppointmentRef, ctx: RequestContext) {
    return this.getAppointment.execute(ctx, input);
  }

  @Handles(transitionAppointment)
  transition(input: TransitionAppointmentDto, ctx: RequestContext) {
    return this.transitionAppointment.execute(ctx, input);
  }

  @Handles(rescheduleAppointment)
  reschedule(input: RescheduleAppointmentDto, ctx: RequestContext) {
    return this.rescheduleAppointment.execute(ctx, input);
  }

  @Handles(offerAssignment)
  offer(input: OfferAssignmentDto, ctx: RequestContext) {
    return this.offerAssignment.execute(ctx, input);
  }

  @Handles(acceptAssignment)
  accept(input: AcceptAssignmentDto, ctx: RequestContext) {
    return this.acceptOffer.execute(ctx, input);
  }

  @Handles(declineAssignment)
  decline(input: DeclineAssignmentDto, ctx: RequestContext) {
    return this.declineOffer.execute(ctx, input);
  }

  @Handles(dispatchTechnician)
  dispatch(input: AssignmentRef, ctx: RequestContext) {
    return this.dispatchTechnician.execute(ctx, input);
  }

  @Handles(reportEnRoute)
  enRoute(input: EnRouteDto, ctx: RequestContext) {
    return this.reportEnRoute.execute(ctx, input);
  }

  @Handles(checkInAppointment)
  arrive(input: CheckInDto, ctx: RequestContext) {
    return this.checkIn.execute(ctx, input);
  }

  @Handles(checkOutAppointment)
  leave(input: CheckOutDto, ctx: RequestContext) {
    return this.checkOut.execute(ctx, input);
  }

  @Handles(reportNoShow)
  noShow(input: NoShowDto, ctx: RequestContext) {
    return this.reportNoShow.execute(ctx, input);
  }

  @Handles(confirmAppointmentLocation)
  confirmLocation(input: ConfirmLocationDto, ctx: RequestContext) {
    return this.confirmLocationUseCase.execute(ctx, input);
  }

  @Handles(reportLocationIssue)
  reportLocationIssue(input: ReportLocationIssueDto, ctx: RequestContext) {
    return this.reportLocationIssueUseCase.execute(ctx, input);
  }
}
