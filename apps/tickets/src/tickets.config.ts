import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { ProductionSecret } from '@app/shared/config/production-guard';
import { ServiceConfig } from '@app/shared/config/service-config';
import { DEV_OTP_SECRET } from '@app/shared/security/dev-defaults';

export class TicketsConfig extends ServiceConfig {
  /**
   * The shared file store of evidence files (a folder the gateway is configured with too: it writes uploads
   * there and streams downloads from there; this service checks and references them).
   */
  @IsString()
  EVIDENCE_STORAGE_DIR: string = '.data/evidence';

  /** How often uploads that no evidence refers to are looked for (those older than a day are removed). */
  @IsInt()
  @Min(1000)
  EVIDENCE_SWEEP_INTERVAL_MS: number = 3_600_000;

  /**
   * How long a replica checks moves against its copy of a tenant's ticket and appointment flows after
   * another replica changed them (its own changes apply at once); 0 turns the cache off.
   */
  @IsInt()
  @Min(0)
  @Max(3600 * 1000)
  TICKET_FLOW_CACHE_TTL_MS: number = 5_000;

  /** Largest evidence file accepted, in bytes (the gateway enforces the same limit before forwarding). */
  @IsInt()
  @Min(1)
  @Max(50 * 1024 * 1024)
  EVIDENCE_MAX_FILE_BYTES: number = 10 * 1024 * 1024;

  @IsInt()
  @Min(1)
  @Max(20)
  OTP_MAX_ATTEMPTS: number = 5;

  @IsInt()
  @Min(30)
  @Max(86400)
  OTP_TTL_SECONDS: number = 600;

  /** Key of the OTP hashes; production sets its own (the development default is refused there). */
  @IsString()
  @MinLength(16)
  @ProductionSecret()
  OTP_SECRET: string = DEV_OTP_SECRET;
}
