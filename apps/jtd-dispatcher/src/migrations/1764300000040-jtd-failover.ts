import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provider failover and channel fallback: the tenant's ordered fallback per channel (`channel_fallback`,
 * `{ "whatsapp": "sms", "sms": "email" }`), the channels a job has already left (`channels_tried`, so a job
 * never comes back to one), and the channel of each attempt (a job may change channel on the way) and its order (several providers answer one
 * send in the same instant).
 */
export class JtdFailover1764300000040 implements MigrationInterface {
  name = 'JtdFailover1764300000040';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
ALTER TABLE tenant_config ADD COLUMN channel_fallback jsonb NOT NULL DEFAULT '{}';
ALTER TABLE jobs ADD COLUMN channels_tried jsonb NOT NULL DEFAULT '[]';
ALTER TABLE attempts ADD COLUMN channel varchar(20) NULL, ADD COLUMN seq bigserial;
UPDATE attempts a SET channel = j.channel_code FROM jobs j WHERE j.id = a.jtd_id;
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
ALTER TABLE attempts DROP COLUMN channel, DROP COLUMN seq;
ALTER TABLE jobs DROP COLUMN channels_tried;
ALTER TABLE tenant_config DROP COLUMN channel_fallback;
`);
  }
}
