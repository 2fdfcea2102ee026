import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ServiceName } from '../rpc/rpc-request';
import { BrokerConnection } from './broker-connection';
import { DeadLetterRecorder } from './dead-letter-recorder';
import { DeadLettersService } from './dead-letters.service';
import { EventConsumer } from './event-consumer';
import { EventLogService } from './event-log.service';
import { MessagingMonitor } from './messaging-monitor';
import { MessagingMetrics } from './messaging.metrics';
import { MessagingTables1764000000001 } from './migrations/1764000000001-messaging-tables';
import { OutboxClaimIndex1764000000002 } from './migrations/1764000000002-outbox-claim-index';
import { PurgeIndexesBrin1764000000003 } from './migrations/1764000000003-purge-indexes-brin';
import { RpcRequests1764000000004 } from './migrations/1764000000004-rpc-requests';
import { MESSAGING_OPTIONS } from './messaging.options';
import { MessagingRpcController } from './messaging.rpc-controller';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { PgOutbox } from './pg-outbox';
import { RequestJournal } from './request-journal';
import { RetentionPurgeJob } from './retention-purge.job';

/**
 * Everything a service needs to emit and consume domain events: the Outbox, the relay, the consumer of
 * its queue (with inbox, retries and dead letters), and the RPC handlers for dead letters and event log.
 * Needs the app's DataSource (DatabaseModule), config and observability (createServiceApp provides them).
 */
@Global()
@Module({})
export class MessagingModule {
  static forService(service: ServiceName): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      controllers: [MessagingRpcController],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: { service } },
        BrokerConnection,
        MessagingMetrics,
        PgOutbox,
        { provide: Outbox, useExisting: PgOutbox },
        OutboxRelay,
        EventConsumer,
        DeadLetterRecorder,
        DeadLettersService,
        EventLogService,
        RetentionPurgeJob,
        RequestJournal,
        MessagingMonitor,
      ],
      exports: [Outbox, BrokerConnection, OutboxRelay, EventConsumer, DeadLettersService, EventLogService, RetentionPurgeJob, RequestJournal, MessagingMetrics],
    };
  }
}

/**
 * Entities of the messaging tables, to add to a service's entity list. None: the backbone reads and writes
 * its tables with SQL (batch claims with SKIP LOCKED, ON CONFLICT inserts), so no entity metadata is needed.
 */
export const MESSAGING_ENTITIES: Array<new () => object> = [];

/** Migrations of the messaging tables, in order, for a service's migration list. */
export const MESSAGING_MIGRATIONS: Function[] = [
  MessagingTables1764000000001,
  OutboxClaimIndex1764000000002,
  PurgeIndexesBrin1764000000003,
  RpcRequests1764000000004,
];
