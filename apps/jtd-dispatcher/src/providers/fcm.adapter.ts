import { Logger } from '@nestjs/common';
import { importPKCS8, SignJWT } from 'jose';
import { DeliveryAdapter, ProviderCredentials, ProviderRequest, ProviderResponse, SendOutcome, SendRequest, WebhookParse } from './delivery-adapter';
import { field, firstText } from './json-fields';
import { callProvider, classifyHttp } from './provider-http';

interface ServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri?: string;
}

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

/** Parses the configured service account (raw JSON or base64 of it). */
export function parseServiceAccount(raw: string): ServiceAccount | null {
  if (!raw) return null;
  const text = raw.trim().startsWith('{') ? raw : Buffer.from(raw, 'base64').toString('utf8');
  const sa = JSON.parse(text) as ServiceAccount;
  return sa.client_email && sa.private_key && sa.project_id ? sa : null;
}

class TokenError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/**
 * Firebase Cloud Messaging HTTP v1 over plain fetch (the Admin SDK cannot be pointed at a fake server).
 * Access tokens are cached per service account and refreshed five minutes before expiry; a 401 from FCM
 * drops the cache and retries once.
 */
export class FcmAdapter implements DeliveryAdapter {
  readonly channel = 'push';
  readonly provider = 'firebase';
  private readonly logger = new Logger('FcmAdapter');
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  tokenRequests = 0;

  async buildRequest(req: SendRequest, accessToken = '<access-token>'): Promise<ProviderRequest> {
    const sa = parseServiceAccount(req.credentials.FCM_SERVICE_ACCOUNT);
    return {
      method: 'POST',
      url: `${req.credentials.FCM_BASE_URL}/v1/projects/${sa?.project_id ?? 'unconfigured'}/messages:send`,
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: {
        message: {
          token: req.contact,
          notification: { title: req.rendered.subject ?? '', body: req.rendered.body },
          data: { jtdId: req.jtdId },
          android: { priority: 'HIGH' },
        },
      },
    };
  }

  async send(req: SendRequest): Promise<SendOutcome> {
    const sa = parseServiceAccount(req.credentials.FCM_SERVICE_ACCOUNT);
    if (!sa) return { kind: 'permanent', code: 'NOT_CONFIGURED', message: 'no FCM service account is configured' };
    for (let attempt = 0; attempt < 2; attempt++) {
      let token: string;
      try {
        token = await this.accessToken(sa, req.credentials);
      } catch (err) {
        if (err instanceof TokenError)
          return err.permanent ? { kind: 'permanent', code: 'FCM_AUTH', message: err.message } : { kind: 'retryable', code: 'FCM_AUTH', message: err.message };
        return this.classifyError(undefined, err);
      }
      let res: ProviderResponse;
      try {
        res = await callProvider(await this.buildRequest(req, token), req.credentials.PROVIDER_TIMEOUT_MS);
      } catch (err) {
        return this.classifyError(undefined, err);
      }
      if (res.status === 401 && !fcmErrorCode(res.body) && attempt === 0) {
        this.tokens.delete(sa.client_email);
        continue;
      }
      const outcome = this.classifyError(res);
      if (outcome.kind === 'permanent' && (outcome.code === 'UNREGISTERED' || outcome.code === 'SENDER_ID_MISMATCH'))
        return { ...outcome, deadToken: req.contact };
      return outcome;
    }
    return { kind: 'retryable', code: 'FCM_AUTH', message: 'FCM rejected a fresh access token' };
  }

  classifyError(res: ProviderResponse | undefined, error?: unknown): SendOutcome {
    if (res && res.status >= 200 && res.status < 300) {
      const name = firstText(field(res.body, 'name'));
      return name
        ? { kind: 'sent', providerMessageId: name, httpStatus: res.status, response: res.body }
        : { kind: 'permanent', code: 'NO_MESSAGE_NAME', message: 'FCM returned no message name' };
    }
    const code = res ? fcmErrorCode(res.body) : undefined;
    const message = String(field(res?.body, 'error', 'message') ?? '').slice(0, 300);
    if (code) {
      switch (code) {
        case 'UNREGISTERED':
        case 'SENDER_ID_MISMATCH':
        case 'THIRD_PARTY_AUTH_ERROR':
        case 'APNS_AUTH_ERROR':
          return { kind: 'permanent', code, message, httpStatus: res!.status };
        case 'INVALID_ARGUMENT':
          return { kind: 'permanent', code, message, httpStatus: res!.status, ...(/registration token/i.test(message) ? {} : {}) };
        case 'QUOTA_EXCEEDED':
        case 'UNAVAILABLE':
        case 'INTERNAL':
        case 'UNSPECIFIED_ERROR': {
          const http = classifyHttp(res, error, message);
          return { kind: 'retryable', code, message, httpStatus: res!.status, retryAfterMs: http && http.kind === 'retryable' ? http.retryAfterMs : null };
        }
      }
    }
    return classifyHttp(res, error, 'FCM refused the request') ?? { kind: 'permanent', code: 'FCM_UNKNOWN', message: 'unexpected FCM answer' };
  }

  parseWebhook(): WebhookParse {
    return { reports: [], ignored: 0, malformed: {} }; // FCM has no delivery webhooks
  }

  private async accessToken(sa: ServiceAccount, c: ProviderCredentials): Promise<string> {
    const cached = this.tokens.get(sa.client_email);
    if (cached && cached.expiresAt - 5 * 60_000 > Date.now()) return cached.token;
    const now = Math.floor(Date.now() / 1000);
    const key = await importPKCS8(sa.private_key, 'RS256');
    const aud = sa.token_uri ?? 'https://oauth2.googleapis.com/token';
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(sa.private_key_id ? { kid: sa.private_key_id } : {}) })
      .setIssuer(sa.client_email)
      .setAudience(aud)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key);
    this.tokenRequests++;
    const res = await fetch(c.FCM_TOKEN_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      signal: AbortSignal.timeout(c.PROVIDER_TIMEOUT_MS),
    });
    const body: unknown = await res.json().catch(() => ({}));
    const accessToken = firstText(field(body, 'access_token'));
    if (!res.ok || !accessToken) {
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 429;
      const error = String(field(body, 'error') ?? '');
      this.logger.warn(`FCM token request failed with ${res.status} ${error}`);
      throw new TokenError(`token endpoint answered ${res.status} ${error}`.trim(), permanent);
    }
    this.tokens.set(sa.client_email, { token: accessToken, expiresAt: Date.now() + Number(field(body, 'expires_in') ?? 3600) * 1000 });
    return accessToken;
  }
}

/** FCM's own error code (in `error.details[]`), else the error's status unless UNAUTHENTICATED (a stale token). */
function fcmErrorCode(body: unknown): string | undefined {
  const details = field(body, 'error', 'details');
  const own = Array.isArray(details) ? details.map((d) => field(d, 'errorCode')).find((c) => typeof c === 'string') : undefined;
  if (typeof own === 'string') return own;
  const status = field(body, 'error', 'status');
  return status === 'UNAUTHENTICATED' || typeof status !== 'string' ? undefined : status;
}
