import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every key starts so: a bearer token that does is a machine key, anything else a JWT. */
export const API_KEY_PREFIX = 'cnk_';
const KEY = /^cnk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface NewApiKey {
  /** The whole key: shown once, never stored. */
  key: string;
  /** `cnk_` and 12 characters: finds the row, safe to show. */
  prefix: string;
  /** What is stored. */
  hash: string;
}

/** A fresh key: a 12-character lookup id and 32 random bytes of secret. */
export function newApiKey(): NewApiKey {
  const id = [...randomBytes(12)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  const key = `${API_KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: `${API_KEY_PREFIX}${id}`, hash: hashApiKey(key) };
}

export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** The lookup prefix of a well-formed key; undefined for anything else. */
export function apiKeyPrefix(token: string): string | undefined {
  const m = KEY.exec(token);
  return m ? `${API_KEY_PREFIX}${m[1]}` : undefined;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Whether `key` hashes to `hash`, in constant time. */
export function apiKeyMatches(key: string, hash: string): boolean {
  const a = Buffer.from(hashApiKey(key), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
