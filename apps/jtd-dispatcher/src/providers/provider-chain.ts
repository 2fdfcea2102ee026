import { ValidateBy, ValidationOptions } from 'class-validator';
import { developmentSecretProblem } from '@app/shared/security/dev-defaults';
import { ProviderCredentials } from './delivery-adapter';
import { CREDENTIAL_KEYS, SECRET_CREDENTIAL_KEYS } from './provider-profiles';

/** The kinds of adapter a provider entry can use, and the channels each serves. */
export const ADAPTER_KINDS: Readonly<Record<string, readonly string[]>> = {
  msg91: ['email', 'sms', 'whatsapp'],
  fcm: ['push'],
  'http-sms': ['sms'],
};

/** The provider every external channel has when `JTD_CHANNEL_PROVIDERS` names none for it (today's behaviour). */
export const DEFAULT_PROVIDERS: Readonly<Record<string, ProviderEntry>> = {
  email: { id: 'msg91', adapter: 'msg91', credentials: {} },
  sms: { id: 'msg91', adapter: 'msg91', credentials: {} },
  whatsapp: { id: 'msg91', adapter: 'msg91', credentials: {} },
  push: { id: 'fcm', adapter: 'fcm', credentials: {} },
};

/** One provider of a channel: an id (metrics, attempts, breakers), the adapter it uses and what it overrides. */
export interface ProviderEntry {
  /** Unique within the channel; what attempts, history and metrics name. */
  id: string;
  adapter: string;
  /** Over the tenant's credentials (defaults + its provider profile): another MSG91 account, another base URL… */
  credentials: Partial<ProviderCredentials>;
  /** http-sms only: where to POST, the bearer token, the sender id. */
  url?: string;
  token?: string;
  sender?: string;
}

const ID = /^[a-z0-9][a-z0-9_.-]{0,49}$/;
const ENTRY_KEYS = ['id', 'adapter', 'credentials', 'url', 'token', 'sender'];

/**
 * `JTD_CHANNEL_PROVIDERS`: `{ "<channel>": [ { "id": "msg91" }, { "id": "msg91-b", "adapter": "msg91",
 * "credentials": { "MSG91_AUTH_KEY": "…" } }, { "id": "textbee", "adapter": "http-sms", "url": "https://…",
 * "token": "…" } ] }`, tried in that order. `adapter` defaults to the id when the id names a kind (msg91, fcm).
 * Unknown keys, ids used twice, adapters that do not serve the channel are refused, naming the entry.
 */
export function parseChannelProviders(text: string): { chains: Map<string, ProviderEntry[]>; problems: string[] } {
  const chains = new Map<string, ProviderEntry[]>();
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { chains, problems: ['must be JSON: { "<channel>": [{ "id": "msg91" }, { "id": "backup", "adapter": "msg91", "credentials": { … } }] }'] };
  }
  if (!isObject(raw)) return { chains, problems: ['must be a JSON object of channels'] };
  for (const [channel, list] of Object.entries(raw)) {
    if (!DEFAULT_PROVIDERS[channel]) {
      problems.push(`${channel}: not an external channel (email, sms, whatsapp, push)`);
      continue;
    }
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(`${channel}: must be a non-empty list of providers`);
      continue;
    }
    const entries: ProviderEntry[] = [];
    list.forEach((item: unknown, i) => {
      const where = `${channel}[${i}]`;
      if (!isObject(item)) return problems.push(`${where}: must be an object`);
      const unknown = Object.keys(item).filter((k) => !ENTRY_KEYS.includes(k));
      if (unknown.length) problems.push(`${where}: unknown keys ${unknown.join(', ')}`);
      const id = item.id;
      if (typeof id !== 'string' || !ID.test(id)) return problems.push(`${where}: "id" must be lower-case letters, digits, . _ - (≤ 50)`);
      if (entries.some((e) => e.id === id)) return problems.push(`${where}: id ${id} is used twice`);
      const adapter = typeof item.adapter === 'string' ? item.adapter : ADAPTER_KINDS[id] ? id : undefined;
      if (!adapter || !ADAPTER_KINDS[adapter]) return problems.push(`${where}: "adapter" must be one of ${Object.keys(ADAPTER_KINDS).join(', ')}`);
      if (!ADAPTER_KINDS[adapter].includes(channel)) return problems.push(`${where}: adapter ${adapter} does not send ${channel}`);
      const credentials = item.credentials ?? {};
      if (!isObject(credentials)) return problems.push(`${where}: "credentials" must be an object`);
      const badKeys = Object.keys(credentials).filter((k) => !(CREDENTIAL_KEYS as string[]).includes(k));
      if (badKeys.length) problems.push(`${where}: unknown credential keys ${badKeys.join(', ')}`);
      if (adapter === 'http-sms' && (typeof item.url !== 'string' || !/^https?:\/\/.+/.test(item.url)))
        return problems.push(`${where}: an http-sms provider needs "url" (http(s)://…)`);
      for (const k of ['token', 'sender'] as const) if (item[k] !== undefined && typeof item[k] !== 'string') problems.push(`${where}: "${k}" must be text`);
      entries.push({
        id,
        adapter,
        credentials: credentials as Partial<ProviderCredentials>,
        url: item.url as string | undefined,
        token: item.token as string | undefined,
        sender: item.sender as string | undefined,
      });
    });
    if (entries.length) chains.set(channel, entries);
  }
  return { chains, problems };
}

/** Secrets in the entries that production must refuse (placeholders, development values). */
export function channelProviderSecretProblems(text: string): string | undefined {
  const problems: string[] = [];
  for (const [channel, entries] of parseChannelProviders(text).chains) {
    for (const e of entries) {
      const values: Array<[string, unknown]> = [...SECRET_CREDENTIAL_KEYS.map((k): [string, unknown] => [k, e.credentials[k]]), ['token', e.token]];
      for (const [key, value] of values) {
        const why = typeof value === 'string' && value !== '' ? developmentSecretProblem(value) : undefined;
        if (why) problems.push(`${channel} provider ${e.id}: ${key} ${why}`);
      }
    }
  }
  return problems.length ? problems.join('; ') : undefined;
}

/** class-validator rule for the config: the problems of `parseChannelProviders`, named. */
export function IsChannelProviders(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isChannelProviders',
      validator: {
        validate: (value) => typeof value === 'string' && parseChannelProviders(value).problems.length === 0,
        defaultMessage: (args) => (typeof args?.value === 'string' ? parseChannelProviders(args.value).problems.join('; ') : 'must be a JSON string'),
      },
    },
    options,
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
