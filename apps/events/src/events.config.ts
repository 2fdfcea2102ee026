import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { ServiceConfig } from '@app/shared/config/service-config';

export class EventsConfig extends ServiceConfig {
  /**
   * Requests a replica works on at once. Above the shared default (32) so a tenant's activations that arrive
   * together reach the ActivationBatcher together: 100 contracts of 24 activated at once ran as batches of at
   * most 32, and waited for each other's commits (1,681–2,249 → 2,576–3,244 events/s in alternating trials,
   * BENCHMARKS.md fourteenth round). A read or a transition holds little while it waits for Postgres.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  override RPC_PREFETCH: number = 100;

  /** How often the scheduler moves events into due / overdue (ms). */
  @IsInt()
  @Min(1000)
  @Max(24 * 3600 * 1000)
  EVENT_SCHEDULER_INTERVAL_MS = 60_000;

  /** Off in tests that drive the scheduler by hand (runOnce with a fake clock). */
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  EVENT_SCHEDULER_ENABLED = true;

  /**
   * How long a replica may answer from its in-process copy of a tenant's status flows and settings (ms).
   * Changes made through this replica apply at once; this bounds how long other replicas lag. 0 = no cache.
   */
  @IsInt()
  @Min(0)
  @Max(3600 * 1000)
  EVENT_FLOW_CACHE_TTL_MS: number = 5_000;
}
