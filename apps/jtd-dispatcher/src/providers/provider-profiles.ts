import { ValidateBy, ValidationOptions } from 'class-validator';
import { developmentSecretProblem } from '@app/shared/security/dev-defaults';
import { ProviderCredentials } from './delivery-adapter';

export const CREDENTIAL_KEYS: Array<keyof ProviderCredentials> = [
  'MSG91_BASE_URL',
  'MSG91_WHATSAPP_BASE_URL',
  'MSG91_AUTH_KEY',
  'MSG91_SENDER_EMAIL',
  'MSG91_SENDER_NAME',
  'MSG91_EMAIL_DOMAIN',
  'MSG91_SMS_SENDER',
  'MSG91_WHATSAPP_NUMBER',
  'FCM_BASE_URL',
  'FCM_TOKEN_URL',
  'FCM_SERVICE_ACCOUNT',
  'PROVIDER_TIMEOUT_MS',
];

/** The keys of a profile that are secrets: production refuses placeholders and development values in them. */
export const SECRET_CREDENTIAL_KEYS: Array<keyof ProviderCredentials> = ['MSG91_AUTH_KEY', 'FCM_SERVICE_ACCOUNT'];

/** One provider account (partial overrides of the defaults) and the tenants that may send through it. */
export interface ProviderProfile {
  tenants: ReadonlySet<string>;
  credentials: Partial<ProviderCredentials>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `JTD_TENANT_PROVIDERS`: `{ "<profile>": { "tenants": ["<tenant id>", …], "MSG91_AUTH_KEY": "…", … } }`.
 * A profile is somebody's provider account, so it names the tenants it serves: a tenant admin can only pick
 * a profile bound to their tenant. Unknown keys are refused rather than ignored: a misspelt key would send
 * through the default account.
 */
export function parseProviderProfiles(text: string): { profiles: Map<string, ProviderProfile>; problems: string[] } {
  const profiles = new Map<string, ProviderProfile>();
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { profiles, problems: ['must be JSON: { "<profile>": { "tenants": ["<tenant id>"], "MSG91_AUTH_KEY": "…" } }'] };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { profiles, problems: ['must be a JSON object of profiles'] };
  for (const [name, body] of Object.entries(raw as Record<string, unknown>)) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      problems.push(`profile ${name} must be an object`);
      continue;
    }
    const { tenants, ...rest } = body as Record<string, unknown>;
    if (!Array.isArray(tenants) || tenants.length === 0 || !tenants.every((t) => typeof t === 'string' && UUID.test(t))) {
      problems.push(`profile ${name}: "tenants" must list the ids of the tenants it serves`);
      continue;
    }
    const unknown = Object.keys(rest).filter((k) => !(CREDENTIAL_KEYS as string[]).includes(k));
    if (unknown.length) problems.push(`profile ${name}: unknown keys ${unknown.join(', ')}`);
    profiles.set(name, { tenants: new Set(tenants.map((t: string) => t.toLowerCase())), credentials: rest as Partial<ProviderCredentials> });
  }
  return { profiles, problems };
}

/** Secrets of the profiles that production must refuse (placeholders, development values), by profile and key. */
export function profileSecretProblems(text: string): string | undefined {
  const problems: string[] = [];
  for (const [name, profile] of parseProviderProfiles(text).profiles) {
    for (const key of SECRET_CREDENTIAL_KEYS) {
      const value = profile.credentials[key];
      const why = typeof value === 'string' && value !== '' ? developmentSecretProblem(value) : undefined;
      if (why) problems.push(`profile ${name}: ${key} ${why}`);
    }
  }
  return problems.length ? problems.join('; ') : undefined;
}

/** class-validator rule for the config: the problems of `parseProviderProfiles`, named. */
export function IsProviderProfiles(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isProviderProfiles',
      validator: {
        validate: (value) => typeof value === 'string' && parseProviderProfiles(value).problems.length === 0,
        defaultMessage: (args) => (typeof args?.value === 'string' ? parseProviderProfiles(args.value).problems.join('; ') : 'must be a JSON string'),
      },
    },
    options,
  );
}
