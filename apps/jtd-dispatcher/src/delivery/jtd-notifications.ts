import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { CONFIG_CHANNEL, JtdConfigCache } from '../settings/jtd-config-cache';
import { JOBS_CHANNEL } from './job-wakeups';

/**
 * The dispatcher's LISTEN connection (its own pg client: a pooled connection cannot hold a LISTEN):
 * `jtd_jobs` wakes the loop (another replica made jobs due), `jtd_config` drops a tenant's cached
 * configuration (another replica changed it).
 */
@Injectable()
export class JtdNotifications {
  private client?: Client;

  constructor(
    private readonly config: JtdDispatcherConfig,
    private readonly cache: JtdConfigCache,
  ) {}

  async listen(onJobsDue: () => void): Promise<void> {
    const url = new URL(this.config.DATABASE_URL);
    url.username = this.config.DB_USER;
    url.password = this.config.DB_PASSWORD;
    const client = (this.client = new Client({ connectionString: url.toString() }));
    client.on('error', () => undefined);
    await client.connect();
    client.on('notification', (n) => {
      if (n.channel === CONFIG_CHANNEL) this.cache.invalidate(n.payload || undefined);
      else onJobsDue();
    });
    await client.query(`LISTEN ${JOBS_CHANNEL}; LISTEN ${CONFIG_CHANNEL}`);
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
