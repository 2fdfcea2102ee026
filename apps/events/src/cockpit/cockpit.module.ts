import { Module } from '@nestjs/common';
import { CockpitRepository } from './cockpit.repository';
import { CockpitRpcController } from './cockpit.rpc.controller';
import { GetCockpitUseCase } from './get-cockpit.use-case';

@Module({ controllers: [CockpitRpcController], providers: [GetCockpitUseCase, CockpitRepository] })
export class CockpitModule {}
