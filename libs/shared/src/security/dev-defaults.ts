/*
 * Secrets that ship with the code so that `npm start` and the tests run without setup. Anyone can read
 * them here, so they protect nothing: production must set its own, and configuration refuses to boot in
 * production with any of these values (production-guard.ts).
 */

/** Key of the sealed payload fields (AES-256-GCM, security/sealed-fields.ts), base64 of 32 bytes. */
export const DEV_SEALED_FIELDS_KEY = 'AcYOU/sbCugFKXI5EiJirap36Ak5fnw1MvIoV1sSaOY=';

/** Key of the OTP hashes kept by the tickets service. */
export const DEV_OTP_SECRET = 'development-otp-secret-change-me';

/** HS256 secret of development tokens (`npm run token`, scripts/lib/stack.js). */
export const DEV_JWT_SECRET = 'dev-secret-change-me-0123456789abcdef';

/** HS256 secret of the tokens the tests sign. */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';

/** RabbitMQ's own default account (`guest`/`guest`), which the local broker is reached with. */
export const DEV_BROKER_PASSWORD = 'guest';

/** Every known development secret by the variable that carries it. */
export const DEV_SECRETS: Readonly<Record<string, string>> = {
  SEALED_FIELDS_KEY: DEV_SEALED_FIELDS_KEY,
  OTP_SECRET: DEV_OTP_SECRET,
  JWT_SECRET: DEV_JWT_SECRET,
};

const KNOWN = new Set<string>([...Object.values(DEV_SECRETS), TEST_JWT_SECRET]);
/** Database role passwords the provisioning script gives when none is set (`<role>_dev`). */
const ROLE_DEFAULT = /^cn_[a-z_]+_dev$/;
// Also what templates and tutorials put where a provider's key belongs: `<your key>`, `your-auth-key`, `xxxx`.
const PLACEHOLDER = /change[-_ ]?me|changeme|replace[-_ ]?me|placeholder|your[-_ ]|^<.*>$|^x{4,}$|^(secret|password|test|dev|development|dummy|example|todo)$/i;

/** Why `value` may not serve as a secret in production (a default of this repository, a placeholder), or undefined. */
export function developmentSecretProblem(value: string): string | undefined {
  if (KNOWN.has(value) || ROLE_DEFAULT.test(value)) return 'is a development default published in this repository: set a secret of its own';
  if (PLACEHOLDER.test(value)) return 'is a placeholder, not a secret: set a secret of its own';
  return undefined;
}
