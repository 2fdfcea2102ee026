import { Module } from '@nestjs/common';
import { TemplatesRpcController } from './templates.rpc.controller';
import { CreateTemplateUseCase } from './use-cases/create-template.use-case';
import { GetTemplateUseCase } from './use-cases/get-template.use-case';
import { ListTemplatesUseCase } from './use-cases/list-templates.use-case';
import { UpdateTemplateUseCase } from './use-cases/update-template.use-case';

/** Tenant templates (system templates visible, read-only). */
@Module({
  controllers: [TemplatesRpcController],
  providers: [ListTemplatesUseCase, GetTemplateUseCase, CreateTemplateUseCase, UpdateTemplateUseCase],
})
export class TemplatesModule {}
