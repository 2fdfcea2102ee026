import { deadLetterQueue, domainExchange, parseRetryDelays, retryQueue, serviceQueue } from './topology';

describe('topology names and retry delays', () => {
  it('names every broker object after the namespace and the service', () => {
    expect(domainExchange('cn')).toBe('cn.domain-events');
    expect(serviceQueue('cn', 'tickets')).toBe('cn.tickets.events');
    expect(retryQueue('cn', 'tickets', 5000)).toBe('cn.tickets.retry.5000ms');
    expect(deadLetterQueue('cn', 'jtd-dispatcher')).toBe('cn.jtd-dispatcher.dlq');
  });

  it('parses the configured delays and falls back to 5 s, 30 s, 5 min', () => {
    expect(parseRetryDelays('200, 400,800')).toEqual([200, 400, 800]);
    expect(parseRetryDelays(undefined)).toEqual([5000, 30000, 300000]);
    expect(() => parseRetryDelays('200,-1')).toThrow(/positive integers/);
  });
});
