import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlStatusHistory, StatusHistoryWriter } from '@app/shared/status-machine/status-history';
import { FileStore } from '@app/shared/storage/file-store';
import { LocalFileStore } from '@app/shared/storage/local-file-store';
import { Clock, SystemClock } from '@app/shared/time/clock';
import { AppointmentRepository } from './appointments/appointment.repository';
import { AppointmentStatusMover } from './appointments/appointment-status-mover';
import { StaffAssignmentRepository } from './appointments/staff-assignment.repository';
import { EvidenceRepository } from './evidence/evidence.repository';
import { ReadModelRepository } from './read-model/read-model.repository';
import { FieldSettingsRepository } from './settings/field-settings.repository';
import { TicketFlows, TICKETS_HISTORY } from './settings/ticket-flows';
import { TicketsConfig } from './tickets.config';
import { TicketRepository } from './tickets/ticket.repository';
import { TicketStatusMover } from './tickets/ticket-status-mover';

const SHARED = [
  FieldSettingsRepository,
  ReadModelRepository,
  TicketRepository,
  AppointmentRepository,
  StaffAssignmentRepository,
  EvidenceRepository,
  TicketStatusMover,
  AppointmentStatusMover,
];

/**
 * What several features of the tickets service share: the repositories, the status flows (one
 * TenantFlowCache for both machines) and the two status movers on the shared kit, the history writer,
 * the file store, the clock.
 */
@Global()
@Module({})
export class TicketsCoreModule {
  /** `clock` lets tests move time (ticket years, offer deadlines, OTP expiry). */
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: TicketsCoreModule,
      providers: [
        ...SHARED,
        { provide: Clock, useValue: clock },
        { provide: StatusHistoryWriter, useValue: new SqlStatusHistory(TICKETS_HISTORY) },
        {
          provide: TicketFlows,
          inject: [DataSource, TicketsConfig],
          useFactory: (ds: DataSource, c: TicketsConfig) => TicketFlows.overTables(ds, c.TICKET_FLOW_CACHE_TTL_MS),
        },
        { provide: FileStore, inject: [TicketsConfig], useFactory: (c: TicketsConfig) => new LocalFileStore(c.EVIDENCE_STORAGE_DIR) },
      ],
      exports: [...SHARED, Clock, StatusHistoryWriter, TicketFlows, FileStore],
    };
  }
}
