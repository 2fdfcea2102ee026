import { Injectable } from '@nestjs/common';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { DeliveryAdapter, ProviderCredentials } from './delivery-adapter';
import { FcmAdapter } from './fcm.adapter';
import { HttpSmsAdapter } from './http-sms.adapter';
import { Msg91EmailAdapter, Msg91SmsAdapter, Msg91WhatsappAdapter } from './msg91-adapters';
import { DEFAULT_PROVIDERS, parseChannelProviders, ProviderEntry } from './provider-chain';
import { CREDENTIAL_KEYS, parseProviderProfiles, ProviderProfile } from './provider-profiles';

/** One provider of a channel, ready to call: its entry (id, credential overrides) and its adapter. */
export interface ChannelProvider {
  id: string;
  channel: string;
  adapter: DeliveryAdapter;
  entry: ProviderEntry;
}

/**
 * The external adapters by channel — each channel's providers in the order they are tried
 * (`JTD_CHANNEL_PROVIDERS`, else its one default provider) — and each tenant's credentials (config
 * defaults + its provider profile, + the provider entry's own overrides).
 */
@Injectable()
export class ProviderRegistry {
  private readonly chains: Map<string, ChannelProvider[]>;
  private readonly profiles: Map<string, ProviderProfile>;

  constructor(private readonly config: JtdDispatcherConfig) {
    const msg91: Record<string, DeliveryAdapter> = { email: new Msg91EmailAdapter(), sms: new Msg91SmsAdapter(), whatsapp: new Msg91WhatsappAdapter() };
    const fcm = new FcmAdapter();
    // loadConfig has refused malformed values already.
    const configured = parseChannelProviders(config.JTD_CHANNEL_PROVIDERS || '{}').chains;
    this.chains = new Map(
      Object.entries(DEFAULT_PROVIDERS).map(([channel, fallback]) => {
        const entries = configured.get(channel) ?? [fallback];
        const adapterOf = (e: ProviderEntry): DeliveryAdapter =>
          e.adapter === 'fcm' ? fcm : e.adapter === 'http-sms' ? new HttpSmsAdapter({ url: e.url!, token: e.token, sender: e.sender }) : msg91[channel];
        return [channel, entries.map((entry) => ({ id: entry.id, channel, adapter: adapterOf(entry), entry }))];
      }),
    );
    this.profiles = parseProviderProfiles(config.JTD_TENANT_PROVIDERS || '{}').profiles;
  }

  /** The channel's first provider's adapter (what test mode shows); undefined for channels we deliver ourselves (in-app). */
  adapter(channel: string): DeliveryAdapter | undefined {
    return this.chains.get(channel)?.[0].adapter;
  }

  /** The channel's providers in the order they are tried. */
  providers(channel: string): readonly ChannelProvider[] {
    return this.chains.get(channel) ?? [];
  }

  /** A tenant's credentials as one provider of the chain uses them: its own overrides win. */
  credentialsFor(base: ProviderCredentials, provider: ChannelProvider): ProviderCredentials {
    return { ...base, ...provider.entry.credentials };
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
