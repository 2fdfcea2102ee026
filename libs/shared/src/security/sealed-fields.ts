import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A secret value inside a payload (an OTP in a JTD request), sealed with AES-256-GCM so that the outbox
 * row, the broker message, the event log and every consumer carry only this; the one step that needs the
 * value (the dispatcher's provider call) opens it in memory.
 *
 * `v1.<iv>.<ciphertext>.<tag>`, base64url parts. The tenant id is the additional authenticated data: a
 * sealed value copied into another tenant's request does not open there.
 */
export interface SealedValue {
  $sealed: string;
}

/** What readers see instead of a sealed value. */
export const SEALED_PLACEHOLDER = '[sealed]';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/;

/** Tampered, sealed under another key or tenant, or not a sealed value at all. The message never holds the value. */
export class SealedValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedValueError';
  }
}

/** The key from its configured form (base64 of 32 bytes); throws naming what is wrong, never the key. */
export function sealingKey(base64: string): Buffer {
  const key = Buffer.from(base64 ?? '', 'base64');
  if (key.length !== 32 || key.toString('base64') !== base64) throw new SealedValueError('the sealing key must be the base64 of 32 bytes');
  return key;
}

export function isSealed(value: unknown): value is SealedValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as SealedValue).$sealed === 'string' &&
    Object.keys(value).length === 1
  );
}

export function seal(value: string, key: Buffer, context = ''): SealedValue {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { $sealed: [VERSION, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.') };
}

export function unseal(sealed: SealedValue, key: Buffer, context = ''): string {
  if (!isSealed(sealed) || !FORMAT.test(sealed.$sealed)) throw new SealedValueError('not a sealed value');
  const [, iv, ciphertext, tag] = sealed.$sealed.split('.');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedValueError('the sealed value does not open: tampered, or sealed under another key or tenant');
  }
}

/** A copy of `value` in which every sealed value, at any depth, is `placeholder`. */
export function redactSealed<T>(value: T, placeholder: string = SEALED_PLACEHOLDER): T {
  if (isSealed(value)) return placeholder as T;
  if (Array.isArray(value)) return value.map((v) => redactSealed(v, placeholder)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSealed(v, placeholder)])) as T;
  }
  return value;
}

export function containsSealed(value: unknown): boolean {
  if (isSealed(value)) return true;
  if (Array.isArray(value)) return value.some(containsSealed);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsSealed);
  return false;
}

/**
 * A copy of `value` in which every string has each of `secrets` replaced by `mask`: for what a provider
 * answered or an error said after a secret was sent, where the value can turn up anywhere in free text.
 */
export function maskSecretValues<T>(value: T, secrets: readonly string[], mask: string): T {
  const present = secrets.filter((s) => s.length > 0);
  if (present.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return present.reduce((text, s) => text.split(s).join(mask), v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [walk(k) as string, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
