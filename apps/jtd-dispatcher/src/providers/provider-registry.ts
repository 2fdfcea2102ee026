import { Injectable } from '@nestjs/common';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { DeliveryAdapter, ProviderCredentials } from './delivery-adapter';
import { FcmAdapter } from './fcm.adapter';
import { Msg91EmailAdapter, Msg91SmsAdapter, Msg91WhatsappAdapter } from './msg91-adapters';

const CREDENTIAL_KEYS: Array<keyof ProviderCredentials> = [
  'MSG91_BASE_URL', 'MSG91_WHATSAPP_BASE_URL', 'MSG91_AUTH_KEY', 'MSG91_SENDER_EMAIL', 'MSG91_SENDER_NAME', 'MSG91_EMAIL_DOMAIN',
  'MSG91_SMS_SENDER', 'MSG91_WHATSAPP_NUMBER', 'FCM_BASE_URL', 'FCM_TOKEN_URL', 'FCM_SERVICE_ACCOUNT', 'PROVIDER_TIMEOUT_MS',
];

/** The external adapters by channel, and each tenant's credentials (config defaults + its provider profile). */
@Injectable()
export class ProviderRegistry {
  private readonly adapters: Map<string, DeliveryAdapter>;
  private readonly profiles: Record<string, Partial<ProviderCredentials>>;

  constructor(private readonly config: JtdDispatcherConfig) {
    const list: DeliveryAdapter[] = [new Msg91EmailAdapter(), new Msg91SmsAdapter(), new Msg91WhatsappAdapter(), new FcmAdapter()];
    this.adapters = new Map(list.map((a) => [a.channel, a]));
    this.profiles = JSON.parse(config.JTD_TENANT_PROVIDERS || '{}');
  }

  adapter(channel: string): DeliveryAdapter | undefined {
    return this.adapters.get(channel);
  }

  credentials(profile: string | null): ProviderCredentials {
    const base = Object.fromEntries(CREDENTIAL_KEYS.map((k) => [k, (this.config as any)[k]])) as unknown as ProviderCredentials;
    return profile && this.profiles[profile] ? { ...base, ...this.profiles[profile] } : base;
  }
}
