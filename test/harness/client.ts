/**
 * A browser's view of the console for tests: a cookie jar and the CSRF token, nothing else. Every
 * request goes to the console's origin, as the SPA's would.
 */
export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class ConsoleClient {
  private cookie = '';
  csrfToken = '';

  constructor(readonly baseUrl: string) {}

  /** Log in with a password (and TOTP); throws with the answer unless 200. */
  static async login(baseUrl: string, loginName: string, password: string, totp?: string): Promise<ConsoleClient> {
    const c = new ConsoleClient(baseUrl);
    const r = await c.post<{ csrfToken: string }>('/auth/login', { loginName, password, ...(totp ? { totp } : {}) });
    if (r.status !== 200) throw new Error(`login of ${loginName} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return c;
  }

  get hasCookie(): boolean {
    return this.cookie !== '';
  }

  /** The raw request (for bodies that are not JSON: uploads, spreadsheets). */
  async raw(
    method: string,
    path: string,
    init: { body?: RequestInit['body']; headers?: Record<string, string>; redirect?: RequestInit['redirect'] } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] ??= this.csrfToken;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: init.body, redirect: init.redirect ?? 'manual' });
    this.absorb(res);
    return res;
  }

  /** Keeps the session cookie a response sets (or clears). */
  absorb(res: Response): void {
    for (const sc of res.headers.getSetCookie()) {
      const m = /^jiesu_sid=([^;]*)/.exec(sc);
      if (!m) continue;
      const expired = /Expires=Thu, 01 Jan 1970/i.test(sc) || m[1] === '';
      this.cookie = expired ? '' : `jiesu_sid=${m[1]}`;
    }
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const res = await this.raw(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    const reply = { status: res.status, body: parsed as T, headers: res.headers };
    const csrf = (parsed as { csrfToken?: unknown } | null)?.csrfToken;
    if (typeof csrf === 'string') this.csrfToken = csrf;
    return reply;
  }

  get<T = unknown>(path: string): Promise<Reply<T>> {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  patch<T = unknown>(path: string, body?: unknown): Promise<Reply<T>> {
    return this.request<T>('PATCH', path, body);
  }
}
