import { Module } from '@nestjs/common';
import { CockpitRpcController } from './cockpit.rpc.controller';
import { GetCockpitUseCase } from './get-cockpit.use-case';

@Module({ controllers: [CockpitRpcController], providers: [GetCockpitUseCase] })
export class CockpitModule {}
