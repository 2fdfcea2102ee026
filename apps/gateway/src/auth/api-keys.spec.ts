import { apiKeyMatches, apiKeyPrefix, hashApiKey, isApiKey, newApiKey } from './api-keys';

describe('API keys', () => {
  it('are random, carry their lookup prefix, and store only a hash that is not the key', () => {
    const a = newApiKey();
    const b = newApiKey();
    expect(a.key).not.toBe(b.key);
    expect(a.key).toMatch(/^cnk_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyPrefix(a.key)).toBe(a.prefix);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(17));
    expect(isApiKey(a.key)).toBe(true);
    expect(isApiKey('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe(false);
  });

  it('match only their own hash, and malformed keys have no prefix', () => {
    const a = newApiKey();
    expect(apiKeyMatches(a.key, a.hash)).toBe(true);
    expect(apiKeyMatches(`${a.key.slice(0, -1)}${a.key.endsWith('A') ? 'B' : 'A'}`, a.hash)).toBe(false);
    expect(apiKeyMatches(a.key, 'abcd')).toBe(false);
    expect(apiKeyPrefix('cnk_short_x')).toBeUndefined();
    expect(apiKeyPrefix(`${a.key}extra`)).toBeUndefined();
  });
});
