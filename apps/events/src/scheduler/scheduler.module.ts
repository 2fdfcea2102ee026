import { Module } from '@nestjs/common';
import { EventScheduler } from './event-scheduler';
import { SchedulerRepository } from './scheduler.repository';

@Module({ providers: [EventScheduler, SchedulerRepository], exports: [EventScheduler] })
export class SchedulerModule {}
