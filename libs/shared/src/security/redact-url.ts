/** Query parameters whose values are credentials: a webhook's token, an API key, a signature, an OTP. */
const SECRET_PARAMETER = /token|secret|key|signature|^sig$|password|passwd|otp/i;
export const REDACTED = '[redacted]';

/**
 * The URL (or path with its query) with the values of secret-looking query parameters replaced by
 * `[redacted]`, for anything that writes a URL down: log lines, the `instance` of a problem answer. A
 * provider that cannot sign its webhooks (MSG91) puts the tenant's secret in the query string, and a log
 * line or an error body is read by far more people than the secret is meant for.
 */
export function redactUrl(url: string): string;
export function redactUrl(url: string | undefined): string | undefined;
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      return SECRET_PARAMETER.test(nameOf(pair.slice(0, eq))) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
  return url.slice(0, q + 1) + redacted + (hash < 0 ? '' : url.slice(hash));
}

/** A parameter's name as a server reads it: `tok%65n` and `tok+en` must not slip past as other names. */
function nameOf(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
