import 'reflect-metadata';
import { fallbackMap, fallbackProblems, fallbackRoutes } from './channel-fallback-rules';

const ALL = { email: true, sms: true, whatsapp: true, push: true, inapp: true };

describe('a tenant’s channel fallback routes', () => {
  it('accepts a chain of enabled channels', () => {
    expect(
      fallbackProblems(
        [
          { from: 'whatsapp', to: 'sms' },
          { from: 'sms', to: 'email' },
        ],
        ALL,
      ),
    ).toEqual({});
    expect(fallbackProblems([], ALL)).toEqual({});
  });

  it('refuses a cycle, naming the route that closes it', () => {
    expect(
      fallbackProblems(
        [
          { from: 'whatsapp', to: 'sms' },
          { from: 'sms', to: 'email' },
          { from: 'email', to: 'whatsapp' },
        ],
        ALL,
      ),
    ).toEqual({
      'routes.0.to': ['whatsapp → sms → email → whatsapp is a cycle'],
      'routes.1.to': ['sms → email → whatsapp → sms is a cycle'],
      'routes.2.to': ['email → whatsapp → sms → email is a cycle'],
    });
  });

  it('refuses a channel falling back to itself, two routes from one channel, a channel not enabled', () => {
    expect(fallbackProblems([{ from: 'sms', to: 'sms' }], ALL)).toEqual({ 'routes.0.to': ['sms cannot fall back to itself'] });
    expect(
      fallbackProblems(
        [
          { from: 'sms', to: 'email' },
          { from: 'sms', to: 'whatsapp' },
        ],
        ALL,
      ),
    ).toEqual({ 'routes.1.from': ['sms already falls back to email: one route per channel'] });
    expect(fallbackProblems([{ from: 'whatsapp', to: 'sms' }], { ...ALL, sms: false })).toEqual({
      'routes.0.to': ['channel sms is not enabled for this tenant'],
    });
  });

  it('stores routes as a map and lists them back in the channels’ order', () => {
    const map = fallbackMap([
      { from: 'sms', to: 'email' },
      { from: 'whatsapp', to: 'sms' },
    ]);
    expect(map).toEqual({ sms: 'email', whatsapp: 'sms' });
    expect(fallbackRoutes(map)).toEqual([
      { from: 'sms', to: 'email' },
      { from: 'whatsapp', to: 'sms' },
    ]);
  });
});
