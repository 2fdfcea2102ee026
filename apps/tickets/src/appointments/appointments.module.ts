import { Module } from '@nestjs/common';
import { AppointmentsRpcController } from './appointments.rpc.controller';
import { CheckInSite } from './check-in-site';
import { FieldStep } from './field-step';
import { LocationIssueRepository } from './location-issue.repository';
import { ConfirmLocationUseCase } from './use-cases/confirm-location.use-case';
import { ReportLocationIssueUseCase } from './use-cases/report-location-issue.use-case';
import { StaffOffers } from './staff-offers';
import { TechnicianCalendar } from './technician-calendar';
import { AcceptOfferUseCase } from './use-cases/accept-offer.use-case';
import { CheckInUseCase } from './use-cases/check-in.use-case';
import { CheckOutUseCase } from './use-cases/check-out.use-case';
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

/** Visits: booking, status, rescheduling, offers to technicians and their steps in the field. */
@Module({
  controllers: [AppointmentsRpcController],
  providers: [
    TechnicianCalendar,
    StaffOffers,
    FieldStep,
    CreateAppointmentUseCase,
    ListAppointmentsUseCase,
    GetAppointmentUseCase,
    TransitionAppointmentUseCase,
    RescheduleAppointmentUseCase,
    OfferAssignmentUseCase,
    AcceptOfferUseCase,
    DeclineOfferUseCase,
    DispatchTechnicianUseCase,
    ReportEnRouteUseCase,
    CheckInUseCase,
    CheckOutUseCase,
    ReportNoShowUseCase,
    LocationIssueRepository,
    CheckInSite,
    ConfirmLocationUseCase,
    ReportLocationIssueUseCase,
  ],
})
export class AppointmentsModule {}
