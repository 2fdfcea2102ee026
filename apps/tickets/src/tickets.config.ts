import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { ProductionSecret } from '@app/shared/config/production-guard';
import { ServiceConfig } from '@app/shared/config/service-config';
import { DEV_OTP_SECRET } from '@app/shared/security/dev-defaults';

export class TicketsConfig extends ServiceConfig {
  /** Folder of the local evidence store (the default storage port). */
  @IsString()
  EVIDENCE_STORAGE_DIR: string = '.data/evidence';

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
