import { Module } from '@nestjs/common';
import { InboxController } from './jtd/inbox.controller';
import { JtdJobsController } from './jtd/jtd-jobs.controller';
import { JtdSettingsController } from './jtd/jtd-settings.controller';
import { JtdTemplatesController } from './jtd/jtd-templates.controller';
import { Msg91WebhookController } from './jtd/msg91-webhook.controller';

/** HTTP routes of the jtd service: thin controllers that validate and forward over RPC. */
@Module({ controllers: [JtdTemplatesController, JtdJobsController, JtdSettingsController, InboxController, Msg91WebhookController] })
export class JtdRoutesModule {}
