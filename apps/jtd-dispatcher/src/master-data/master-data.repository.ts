import { Injectable } from '@nestjs/common';
import { Db, many, maybeOne, sql } from '@app/shared/db/sql';
import { JtdConfigCache, MASTER } from '../settings/jtd-config-cache';

export interface SourceType {
  code: string;
  defaultEventType: string | null;
  defaultChannels: string[];
}

export interface EventType {
  code: string;
  allowedChannels: string[];
  defaultPriority: number;
  maxRetries: number;
  retryDelaySeconds: number;
}

/** A channel's provider rate and cost. */
export interface ChannelTerms {
  /** Sends per minute across every replica. */
  limit: number;
  /** numeric(10,4) as text. */
  cost: string;
}

/** Event types, source types and channels (seeded by migration; only migrations change them). */
@Injectable()
export class MasterDataRepository {
  constructor(private readonly cache: JtdConfigCache) {}

  /** An active source type, through the per-replica cache. */
  sourceType(db: Db, code: string): Promise<SourceType | null> {
    return this.cache.get(
      MASTER,
      `source-type:${code}`,
      () =>
        maybeOne<SourceType>(
          db,
          sql`SELECT code, default_event_type AS "defaultEventType", default_channels AS "defaultChannels" FROM source_types WHERE code = ${code} AND is_active`,
        ),
      db,
    );
  }

  /** An active event type, through the per-replica cache. */
  eventType(db: Db, code: string): Promise<EventType | null> {
    return this.cache.get(
      MASTER,
      `event-type:${code}`,
      () =>
        maybeOne<EventType>(
          db,
          sql`SELECT code, allowed_channels AS "allowedChannels", default_priority AS "defaultPriority", default_max_retries AS "maxRetries",
                retry_delay_seconds AS "retryDelaySeconds" FROM event_types WHERE code = ${code} AND is_active`,
        ),
      db,
    );
  }

  /** Whether a source type exists (active or not): templates and source settings name one. */
  async isSourceType(db: Db, code: string): Promise<boolean> {
    return (await maybeOne(db, sql`SELECT 1 FROM source_types WHERE code = ${code}`)) !== null;
  }

  /** Every channel's rate and cost; read per batch, not cached, so an operator lowering a rate takes effect on the next batch. */
  async channelTerms(db: Db): Promise<Map<string, ChannelTerms>> {
    const rows = await many<ChannelTerms & { code: string }>(db, sql`SELECT code, rate_limit_per_minute AS "limit", cost_per_unit AS cost FROM channels`);
    return new Map(rows.map((r) => [r.code, { limit: r.limit, cost: r.cost }]));
  }
}
