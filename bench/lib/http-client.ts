import http from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export interface HttpRequestSpec {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Keep-alive HTTP/1.1 requests with one agent; the same client drives the baselines and the gateway. */
export class HttpClient {
  readonly agent: http.Agent;
  /** `http://host:port`, for load generators that open connections of their own (autocannon). */
  readonly baseUrl: string;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets = 64) {
    const u = new URL(baseUrl);
    this.baseUrl = u.origin;
    this.host = u.hostname;
    this.port = Number(u.port || 80);
    // FIFO: every pooled socket keeps being used. With Node's default (LIFO) a paced load (the soak) leaves the
    // sockets opened during a slow spell idle until the gateway's keep-alive timeout (Fastify: 72 s) closes
    // them, and the one picked just as the server closes it fails with ECONNRESET (seen in the soak).
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, noDelay: true, scheduling: 'fifo' } as http.AgentOptions);
  }

  request(spec: HttpRequestSpec, timeoutMs = 30000): Promise<HttpResponse> {
    const payload = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
    const headers: Record<string, string | number> = { accept: 'application/json', ...(spec.headers ?? {}) };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.host, port: this.port, method: spec.method, path: spec.path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${spec.method} ${spec.path}`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** A JSON call for seeding: throws with the status and body when the answer is not 2xx. */
  async json<T = unknown>(method: string, path: string, token?: string, body?: unknown, timeoutMs = 120000): Promise<T> {
    const res = await this.request({ method, path, body, headers: token ? { authorization: `Bearer ${token}` } : {} }, timeoutMs);
    if (res.status < 200 || res.status >= 300) throw new HttpError(method, path, res.status, res.body);
    return (res.body ? JSON.parse(res.body) : undefined) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} → ${status} ${body.slice(0, 300)}`);
    this.name = 'HttpError';
  }
}
