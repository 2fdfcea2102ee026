import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { jwtVerify, importSPKI } from 'jose';

/** A MSG91 recipient: email addresses or a mobile number, and the template's variables (MSG91 SMS takes them flat). */
export interface ProviderRecipient {
  to: Array<{ email: string; name?: string }>;
  mobiles: string;
  variables: Record<string, unknown>;
  [variable: string]: unknown;
}

/**
 * What a provider received, parsed: MSG91's email, SMS and WhatsApp requests, FCM's message, or Google's
 * token form, in one type for all routes. A body has only its route's fields: a test (or a route's check)
 * that reads another route's field finds it missing at run time, as it should.
 */
export interface ProviderBody {
  template_id: string;
  recipients: ProviderRecipient[];
  from: { email: string; name?: string };
  sender: string;
  content_type: string;
  integrated_number: string;
  payload: {
    template: {
      name: string;
      language: { code: string };
      to_and_components: Array<{ to: string[]; components: Record<string, unknown> }>;
    };
  };
  message: { token: string; notification: { title?: string; body?: string }; data?: Record<string, string> };
  grant_type: string;
  assertion: string;
  /** The generic HTTP SMS adapter's request. */
  to: string;
  text: string;
  reference: string;
  [field: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** `{}` when the body was not JSON (`problems` then says so). */
  body: ProviderBody;
  rawBody: string;
  problems: string[];
}

export type FakeAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | { hang: true };

type Route = 'email' | 'sms' | 'whatsapp' | 'fcm' | 'token' | 'http-sms';

/**
 * A local stand-in for MSG91, FCM and a generic HTTP SMS gateway (`/http-sms/send`, see http-sms.adapter.ts).
 * A second account of the same provider lives under `/acct/<name>` (its base URL: `accountUrl(name)`), with
 * its own scripts and outages. It checks every request's method, path, headers and body shape the
 * way the real APIs expect (problems are recorded on the request, and a malformed request gets a 400), and
 * answers what the test scripted: 200, 4xx, 429 with Retry-After, 5xx, or nothing at all (hang).
 */
export class FakeProvider {
  readonly requests: RecordedRequest[] = [];
  private readonly scripts = new Map<string, FakeAnswer[]>();
  /** Answers given to every request of a route until `recover` (an outage), by account and route. */
  private readonly outages = new Map<string, FakeAnswer>();
  private server!: Server;
  private seq = 0;
  url = '';
  readonly authKey = 'test-msg91-authkey';
  readonly serviceAccount: Record<string, string>;
  private readonly publicKeyPem: string;
  tokenIssued = 0;
  /** Resolves when a request of this route arrives (for "killed mid-send" tests). */
  onRequest?: (route: Route, req: RecordedRequest) => void;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.serviceAccount = {
      type: 'service_account',
      project_id: 'cn-test',
      private_key_id: 'kid-1',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: 'jtd@cn-test.iam.gserviceaccount.com',
      token_uri: 'https://oauth2.googleapis.com/token',
    };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** Queue answers for a route; when the queue is empty the route answers success. */
  script(route: Route, ...answers: FakeAnswer[]): void {
    this.scriptFor('', route, ...answers);
  }

  /** Queue answers for a route of another account (`accountUrl(account)`). */
  scriptFor(account: string, route: Route, ...answers: FakeAnswer[]): void {
    const key = `${account}:${route}`;
    this.scripts.set(key, [...(this.scripts.get(key) ?? []), ...answers]);
  }

  /** Every request of the route answers `answer` until `recover` (queued scripts come first). */
  outage(route: Route, answer: FakeAnswer, account = ''): void {
    this.outages.set(`${account}:${route}`, answer);
  }

  recover(route: Route, account = ''): void {
    this.outages.delete(`${account}:${route}`);
  }

  /** The base URL of another account of the same provider (another MSG91 account, a backup region). */
  accountUrl(account: string): string {
    return `${this.url}/acct/${account}`;
  }

  of(route: Route, account = ''): RecordedRequest[] {
    return this.requests.filter((r) => routeOf(r.path) === route && accountOf(r.path) === account);
  }

  env(): Record<string, string> {
    return {
      MSG91_BASE_URL: this.url,
      MSG91_WHATSAPP_BASE_URL: this.url,
      MSG91_AUTH_KEY: this.authKey,
      MSG91_WHATSAPP_NUMBER: '919000000000',
      FCM_BASE_URL: this.url,
      FCM_TOKEN_URL: `${this.url}/token`,
      FCM_SERVICE_ACCOUNT: JSON.stringify(this.serviceAccount),
      PROVIDER_TIMEOUT_MS: '1500',
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '';
    const route = routeOf(path);
    const account = accountOf(path);
    let body: ProviderBody | null = null;
    const problems: string[] = [];
    if (req.method !== 'POST') problems.push(`method ${req.method}`);
    if (route === 'token') body = Object.fromEntries(new URLSearchParams(rawBody)) as ProviderBody;
    else {
      try {
        body = JSON.parse(rawBody);
      } catch {
        problems.push('body is not JSON');
      }
    }
    if (route) problems.push(...(await this.check(route, req, body)));
    else problems.push(`unknown path ${path}`);
    const recorded: RecordedRequest = { method: req.method ?? '', path, headers: req.headers, body: body ?? ({} as ProviderBody), rawBody, problems };
    this.requests.push(recorded);
    this.onRequest?.(route!, recorded);
    if (problems.length) return send(res, 400, { type: 'error', message: problems.join('; ') });
    const answer = this.scripts.get(`${account}:${route}`)?.shift() ?? this.outages.get(`${account}:${route}`);
    if (answer && 'hang' in answer) return; // never answers: the client's timeout must fire
    if (answer) return send(res, answer.status, answer.body ?? {}, answer.headers);
    return send(res, 200, this.success(route!));
  }

  private success(route: Route) {
    const id = `req${++this.seq}`.padEnd(24, '0');
    switch (route) {
      case 'email':
        return { status: 'success', hasError: false, data: { unique_id: `email-${id}` } };
      case 'sms':
        return { type: 'success', message: `sms-${id}` };
      case 'whatsapp':
        return { status: 'success', request_id: `wa-${id}` };
      case 'fcm':
        return { name: `projects/cn-test/messages/${id}` };
      case 'http-sms':
        return { id: `hs-${id}` };
      case 'token':
        this.tokenIssued++;
        return { access_token: `ya29.fake-${this.tokenIssued}`, expires_in: 3600, token_type: 'Bearer' };
    }
  }

  private async check(route: Route, req: IncomingMessage, b: ProviderBody | null): Promise<string[]> {
    const p: string[] = [];
    const h = req.headers;
    const need = (cond: unknown, msg: string) => (cond ? undefined : p.push(msg));
    if (route === 'http-sms') {
      need(h.authorization === 'Bearer http-sms-token', 'authorization must be Bearer http-sms-token');
      need(/^\+\d{8,15}$/.test(b?.to ?? '') && typeof b?.text === 'string' && typeof b?.reference === 'string', 'to (E.164), text and reference required');
      return p;
    }
    if (route !== 'fcm' && route !== 'token') {
      need(h.authkey === this.authKey, 'authkey header missing or wrong');
      need(String(h['content-type']).includes('application/json'), 'content-type must be JSON');
    }
    if (!b) return p;
    switch (route) {
      case 'email':
        need(Array.isArray(b.recipients) && b.recipients[0]?.to?.[0]?.email, 'recipients[0].to[0].email missing');
        need(b.from?.email, 'from.email missing');
        need(typeof b.template_id === 'string', 'template_id missing');
        break;
      case 'sms':
        need(typeof b.template_id === 'string', 'template_id missing');
        need(Array.isArray(b.recipients) && /^\d{8,15}$/.test(b.recipients[0]?.mobiles ?? ''), 'recipients[0].mobiles must be digits without +');
        break;
      case 'whatsapp': {
        need(b.content_type === 'template' && b.integrated_number, 'integrated_number/content_type missing');
        const t = b.payload?.template;
        need(t?.name && t?.language?.code, 'template name/language missing');
        const tc = t?.to_and_components?.[0];
        need(/^\d{8,15}$/.test(tc?.to?.[0] ?? ''), 'to must be digits');
        need(
          tc?.components && Object.keys(tc.components).every((k: string) => /^(body|header|button)_\d+$/.test(k)),
          'components must be body_N/header_N/button_N',
        );
        break;
      }
      case 'fcm': {
        need(/^\/v1\/projects\/cn-test\/messages:send$/.test(req.url ?? ''), 'FCM path');
        const auth = String(h.authorization ?? '');
        need(/^Bearer ya29\.fake-\d+$/.test(auth), 'Authorization must carry an access token from /token');
        need(typeof b.message?.token === 'string' && b.message?.notification?.body !== undefined, 'message.token/notification missing');
        break;
      }
      case 'token': {
        need(b.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'grant_type');
        try {
          const key = await importSPKI(this.publicKeyPem, 'RS256');
          const { payload, protectedHeader } = await jwtVerify(b.assertion, key, {
            audience: this.serviceAccount.token_uri,
            issuer: this.serviceAccount.client_email,
          });
          need(payload.scope === 'https://www.googleapis.com/auth/firebase.messaging', 'scope');
          need(protectedHeader.alg === 'RS256' && protectedHeader.kid === 'kid-1', 'JWT header');
        } catch (e) {
          p.push(`assertion does not verify: ${(e as Error).message}`);
        }
        break;
      }
    }
    return p;
  }
}

/** `/acct/<name>/api/v5/flow` → `name`; '' for the default account. */
function accountOf(path: string): string {
  return /^\/acct\/([^/]+)\//.exec(path)?.[1] ?? '';
}

function routeOf(fullPath: string): Route | undefined {
  const path = fullPath.replace(/^\/acct\/[^/]+/, '');
  if (path.startsWith('/http-sms/')) return 'http-sms';
  if (path.startsWith('/api/v5/email/send')) return 'email';
  if (path.startsWith('/api/v5/flow')) return 'sms';
  if (path.startsWith('/api/v5/whatsapp/')) return 'whatsapp';
  if (path.startsWith('/v1/projects/')) return 'fcm';
  if (path.startsWith('/token')) return 'token';
  return undefined;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function fcmError(status: number, errorCode: string, message = errorCode) {
  return {
    error: { code: status, message, status: errorCode, details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] },
  };
}
