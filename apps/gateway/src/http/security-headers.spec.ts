import { securityHeadersOf } from './security-headers';

describe('securityHeadersOf', () => {
  it('gives helmet’s headers with our content security policy', () => {
    const headers = securityHeadersOf({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'] } } });
    expect(headers['content-security-policy']).toContain("img-src 'self' data:");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(headers).not.toHaveProperty('x-powered-by');
  });

  it('leaves out what the options switch off', () => {
    expect(securityHeadersOf({ strictTransportSecurity: false })).not.toHaveProperty('strict-transport-security');
  });
});
