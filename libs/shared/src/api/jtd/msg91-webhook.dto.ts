import { IsDefined, IsIn, IsInt, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { Describe } from '../../validation/decorators';

export const MSG91_WEBHOOK_CHANNELS = ['sms', 'email', 'whatsapp'] as const;

/**
 * Bounds of one webhook request: a body is applied in one transaction, so its size bounds how long the
 * jobs stay locked. MSG91 batches far fewer reports than this; anything larger is refused with 413.
 */
export const MSG91_WEBHOOK_MAX_REPORTS = 1000;
export const MSG91_WEBHOOK_MAX_BYTES = 512 * 1024;

/**
 * `POST /v1/webhooks/msg91/{channel}?tenant=<uuid>&token=<secret>`: the URL names the tenant and carries
 * its secret (MSG91 cannot sign), the body is the provider's report as it arrives.
 */
export class ReceiveMsg91ReportDto {
  @IsIn(MSG91_WEBHOOK_CHANNELS)
  @Describe('The channel the reports are about')
  channel!: string;

  @IsUUID()
  @Describe('The tenant whose jobs the reports are about')
  tenant!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Describe('The tenant’s webhook secret')
  token!: string;

  @IsDefined({ message: 'the body must be the provider’s delivery report' })
  @Describe('As MSG91 posts it: a report, a list of reports, `{ data: [...] }` (also as JSON text), or form fields', [
    { requestId: '3467626b6c6a313233', status: '1' },
  ])
  payload!: unknown;
}

export class Msg91ReportResultView {
  @IsInt() @Describe('Reports in the body') received!: number;
  @IsInt() @Describe('Reports that moved a job (delivered, read, failed, bounced)') applied!: number;
  @IsInt() @Describe('Reports for a request id no job of this tenant has (logged)') unknown!: number;
  @IsInt() @Describe('Reports without a request id or with a status that is not tracked') ignored!: number;
}
