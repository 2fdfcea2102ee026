import { Injectable } from '@nestjs/common';
import { Db, many, sql } from '@app/shared/db/sql';

/** Digests of the delivery reports applied (`webhook_receipts`): a replayed report is recognised and does nothing. */
@Injectable()
export class WebhookReceiptRepository {
  /** Records the receipts in one statement; answers the digests that were new. */
  async recordNew(tx: Db, tenantId: string, channel: string, receipts: ReadonlyArray<{ digest: string; jobId: string }>): Promise<Set<string>> {
    if (receipts.length === 0) return new Set();
    const rows = await many<{ digest: string }>(
      tx,
      sql`INSERT INTO webhook_receipts (tenant_id, channel_code, digest, jtd_id)
          SELECT ${tenantId}, ${channel}, d, j FROM unnest(${sql.array(
            receipts.map((r) => r.digest),
            'text',
          )}, ${sql.array(
            receipts.map((r) => r.jobId),
            'uuid',
          )}) AS u(d, j)
          ON CONFLICT DO NOTHING RETURNING digest`,
    );
    return new Set(rows.map((r) => r.digest));
  }
}
