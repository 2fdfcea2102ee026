import { DynamicModule, Module } from '@nestjs/common';
import { Clock, SystemClock } from '@app/shared/time/clock';
import { AppointmentsRpcController } from './appointments/appointments.rpc.controller';
import { AppointmentRepository } from './appointments/appointment.repository';
import { AppointmentStatusService } from './appointments/appointment-status.service';
import { FieldStep } from './appointments/field-step';
import { StaffOffers } from './appointments/staff-offers';
import { TechnicianCalendar } from './appointments/technician-calendar';
import { CheckInOutUseCase } from './appointments/use-cases/check-in-out.use-case';
import { CreateAppointmentUseCase } from './appointments/use-cases/create-appointment.use-case';
import { DispatchTechnicianUseCase } from './appointments/use-cases/dispatch-technician.use-case';
import { OfferAssignmentUseCase } from './appointments/use-cases/offer-assignment.use-case';
import { QueryAppointmentsUseCase } from './appointments/use-cases/query-appointments.use-case';
import { ReportNoShowUseCase } from './appointments/use-cases/report-no-show.use-case';
import { RescheduleAppointmentUseCase } from './appointments/use-cases/reschedule-appointment.use-case';
import { RespondToOfferUseCase } from './appointments/use-cases/respond-to-offer.use-case';
import { TransitionAppointmentUseCase } from './appointments/use-cases/transition-appointment.use-case';
import { StatusFlows } from './common/status-flows';
import { EvidenceRpcController } from './evidence/evidence.rpc.controller';
import { EvidenceStorage } from './evidence/storage/evidence-storage';
import { LocalEvidenceStorage } from './evidence/storage/local-evidence-storage';
import { ListEvidenceUseCase } from './evidence/use-cases/list-evidence.use-case';
import { ReadEvidenceFileUseCase } from './evidence/use-cases/read-evidence-file.use-case';
import { RecordEvidenceUseCase } from './evidence/use-cases/record-evidence.use-case';
import { ReviewEvidenceUseCase } from './evidence/use-cases/review-evidence.use-case';
import { VerifyOtpUseCase } from './evidence/use-cases/verify-otp.use-case';
import { IssuesRpcController } from './issues/issues.rpc.controller';
import { ReportIssueUseCase } from './issues/report-issue.use-case';
import { ReadModelHandlers } from './read-model/read-model.handlers';
import { ReadModelRepository } from './read-model/read-model.repository';
import { SettingsRpcController } from './settings/settings.rpc.controller';
import { StatusFlowSettingsUseCase } from './settings/status-flow-settings.use-case';
import { TicketsConfig } from './tickets.config';
import { TicketRepository } from './tickets/ticket.repository';
import { TicketStatusService } from './tickets/ticket-status.service';
import { TicketsRpcController } from './tickets/tickets.rpc.controller';
import { ChangeTicketEventsUseCase } from './tickets/use-cases/change-ticket-events.use-case';
import { CreateTicketUseCase } from './tickets/use-cases/create-ticket.use-case';
import { QueryTicketsUseCase } from './tickets/use-cases/query-tickets.use-case';
import { TransitionTicketUseCase } from './tickets/use-cases/transition-ticket.use-case';

/** Everything the tickets service does: its RPC controllers, use cases, repositories and event handlers. */
@Module({
  controllers: [TicketsRpcController, AppointmentsRpcController, EvidenceRpcController, IssuesRpcController, SettingsRpcController],
  providers: [
    { provide: EvidenceStorage, inject: [TicketsConfig], useFactory: (config: TicketsConfig) => new LocalEvidenceStorage(config.EVIDENCE_STORAGE_DIR) },
    StatusFlows,
    ReadModelRepository,
    ReadModelHandlers,
    TicketRepository,
    TicketStatusService,
    CreateTicketUseCase,
    QueryTicketsUseCase,
    ChangeTicketEventsUseCase,
    TransitionTicketUseCase,
    AppointmentRepository,
    AppointmentStatusService,
    TechnicianCalendar,
    StaffOffers,
    FieldStep,
    CreateAppointmentUseCase,
    QueryAppointmentsUseCase,
    TransitionAppointmentUseCase,
    RescheduleAppointmentUseCase,
    OfferAssignmentUseCase,
    RespondToOfferUseCase,
    DispatchTechnicianUseCase,
    CheckInOutUseCase,
    ReportNoShowUseCase,
    RecordEvidenceUseCase,
    ListEvidenceUseCase,
    ReviewEvidenceUseCase,
    VerifyOtpUseCase,
    ReadEvidenceFileUseCase,
    ReportIssueUseCase,
    StatusFlowSettingsUseCase,
  ],
})
export class TicketsServiceModule {
  /** `clock` lets tests move time (ticket years, offer deadlines, OTP expiry). */
  static forRoot(options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: TicketsServiceModule,
      providers: [options.clock ? { provide: Clock, useValue: options.clock } : { provide: Clock, useClass: SystemClock }],
    };
  }
}
