import { Injectable } from '@nestjs/common';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { DeliveryAdapter, ProviderCredentials } from './delivery-adapter';
import { FcmAdapter } from './fcm.adapter';
import { Msg91EmailAdapter, Msg91SmsAdapter, Msg91WhatsappAdapter } from './msg91-adapters';
import { CREDENTIAL_KEYS, parseProviderProfiles, ProviderProfile } from './provider-profiles';

/** The external adapters by channel, and each tenant's credentials (config defaults + its provider profile). */
@Injectable()
export class ProviderRegistry {
  private readonly adapters: Map<string, DeliveryAdapter>;
  private readonly profiles: Map<string, ProviderProfile>;

  constructor(private readonly config: JtdDispatcherConfig) {
    const list: DeliveryAdapter[] = [new Msg91EmailAdapter(), new Msg91SmsAdapter(), new Msg91WhatsappAdapter(), new FcmAdapter()];
    this.adapters = new Map(list.map((a) => [a.channel, a]));
    // loadConfig has refused a malformed value already.
    this.profiles = parseProviderProfiles(config.JTD_TENANT_PROVIDERS || '{}').profiles;
  }

  adapter(channel: string): DeliveryAdapter | undefined {
    return this.adapters.get(channel);
  }

  /**
   * Why `tenantId` may not send through `profile`, or undefined when it may (no profile: the defaults).
   * An unknown profile and another tenant's get the same answer: the names of other tenants' accounts are
   * not this tenant's business.
   */
  profileProblem(tenantId: string, profile: string | null): string | undefined {
    if (profile === null) return undefined;
    if (this.profiles.get(profile)?.tenants.has(tenantId.toLowerCase())) return undefined;
    return `provider profile ${profile} is not configured for this tenant (JTD_TENANT_PROVIDERS)`;
  }

  /** The credentials a tenant sends with; throws when its profile is not bound to it (callers check `profileProblem` first). */
  credentials(tenantId: string, profile: string | null): ProviderCredentials {
    const problem = this.profileProblem(tenantId, profile);
    if (problem) throw new Error(problem);
    const base = pick(this.config, CREDENTIAL_KEYS);
    return profile ? { ...base, ...this.profiles.get(profile)!.credentials } : base;
  }
}

function pick<T, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = source[k];
  return out;
}
