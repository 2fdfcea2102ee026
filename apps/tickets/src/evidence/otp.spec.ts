import { generateOtp, hashOtp, otpMatches } from './otp';

describe('OTP codes', () => {
  it('are six digits', () => {
    for (let i = 0; i < 50; i++) expect(generateOtp()).toMatch(/^\d{6}$/);
  });

  it('match only with the same secret, evidence id and code', () => {
    const hash = hashOtp('secret-0123456789', 'ev-1', '123456');
    expect(hash).not.toContain('123456');
    expect(otpMatches('secret-0123456789', 'ev-1', '123456', hash)).toBe(true);
    expect(otpMatches('secret-0123456789', 'ev-1', '123457', hash)).toBe(false);
    expect(otpMatches('secret-0123456789', 'ev-2', '123456', hash)).toBe(false);
    expect(otpMatches('another-secret-000', 'ev-1', '123456', hash)).toBe(false);
  });
});
