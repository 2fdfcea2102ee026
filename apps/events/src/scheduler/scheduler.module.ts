import { Module } from '@nestjs/common';
import { EventScheduler } from './event-scheduler';

@Module({ providers: [EventScheduler], exports: [EventScheduler] })
export class SchedulerModule {}
