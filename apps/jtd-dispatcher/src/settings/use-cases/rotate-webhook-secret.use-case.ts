import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { WebhookSecretView } from '@app/shared/api/jtd/jtd-settings.dto';
import { receiveMsg91Report } from '@app/shared/api/jtd/jtd.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { API_PREFIX } from '@app/shared/contract/openapi-document';
import { Transactions } from '@app/shared/db/transactions';
import { TenantConfigRepository, webhookSecretHash } from '../tenant-config.repository';

/**
 * Issues the tenant's webhook secret (256 random bits) and answers it here, once: only its hash is stored,
 * and the previous one stops working with this commit (no grace period: a rotation usually answers a leak,
 * and reports MSG91 posts meanwhile are refused with 401 and leave their jobs at `sent`, nothing worse).
 */
@Injectable()
export class RotateWebhookSecretUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tenants: TenantConfigRepository,
  ) {}

  async execute(ctx: RequestContext): Promise<WebhookSecretView> {
    const secret = randomBytes(32).toString('hex');
    await this.db.run(async (tx) => {
      await this.tenants.get(tx, ctx.tenantId);
      await this.tenants.setWebhookSecretHash(tx, ctx.tenantId, webhookSecretHash(secret));
    });
    const query = new URLSearchParams({ tenant: ctx.tenantId, token: secret }).toString();
    const pathOf = (channel: string) => `${API_PREFIX}${receiveMsg91Report.http!.path.replace('{channel}', channel)}?${query}`;
    return { webhookSecret: secret, webhookPaths: { email: pathOf('email'), sms: pathOf('sms'), whatsapp: pathOf('whatsapp') } };
  }
}
