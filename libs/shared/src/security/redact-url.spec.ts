import { REDACTED, redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('hides the values of secret-looking query parameters and keeps the rest of the URL', () => {
    expect(redactUrl('/v1/webhooks/msg91/sms?tenant=t-1&token=s3cr3t')).toBe(`/v1/webhooks/msg91/sms?tenant=t-1&token=${REDACTED}`);
    expect(redactUrl('https://x.test/a?authkey=k&page=2&X-Amz-Signature=abc&password=p&otp=1234&client_secret=z#frag')).toBe(
      `https://x.test/a?authkey=${REDACTED}&page=2&X-Amz-Signature=${REDACTED}&password=${REDACTED}&otp=${REDACTED}&client_secret=${REDACTED}#frag`,
    );
  });

  it('recognises a parameter name however it is encoded, and every repeat of it', () => {
    expect(redactUrl('/a?tok%65n=1&token=2&TOKEN=3')).toBe(`/a?tok%65n=${REDACTED}&token=${REDACTED}&TOKEN=${REDACTED}`);
  });

  it('leaves a URL without a query, or without secrets, as it is', () => {
    expect(redactUrl('/v1/contracts')).toBe('/v1/contracts');
    expect(redactUrl('/v1/events?limit=5&cursor=abc')).toBe('/v1/events?limit=5&cursor=abc');
    expect(redactUrl(undefined)).toBeUndefined();
  });
});
