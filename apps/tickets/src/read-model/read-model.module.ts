import { Module } from '@nestjs/common';
import { ReadModelHandlers } from './read-model.handlers';

/** What this service knows of contracts, from the events service's domain events (the repository is in the core module). */
@Module({ providers: [ReadModelHandlers] })
export class ReadModelModule {}
