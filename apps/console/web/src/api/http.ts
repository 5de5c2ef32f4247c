/**
 * The one way the web talks to its origin (apps/console): same-origin cookies, the session's CSRF token
 * on every state-changing request, and one error type carrying the service's status, code, reason and
 * per-field problems so a screen can show them next to the action.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export interface FieldProblem {
  field: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly fields: FieldProblem[] = [],
    /** With code `role_required`: the roles of which the endpoint needs one. */
    readonly roles: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Adds credentials and the CSRF header; used by the typed clients' middleware and by plain calls. */
export function prepare(request: Request): Request {
  if (!SAFE.has(request.method.toUpperCase()) && csrfToken) request.headers.set('x-csrf-token', csrfToken);
  return request;
}

interface ErrorBody {
  statusCode?: number;
  code?: string;
  error?: string;
  message?: string | string[];
  errors?: FieldProblem[];
  roles?: string[];
}

/** Turns a non-2xx response into an ApiError (never throws while reading it). */
export async function errorOf(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.clone().json()) as ErrorBody;
  } catch {
    body = {};
  }
  const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? response.statusText);
  return new ApiError(
    response.status,
    body.code ?? null,
    message,
    body.errors ?? [],
    Array.isArray(body.roles) ? body.roles.map(String) : [],
  );
}

/** A JSON call to the console itself (/auth/*, /admin/*). */
export async function requestJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  return jsonOf<T>(await fetch(prepare(new Request(path, init))));
}

/** The body of an answer as JSON (undefined when empty), or its ApiError. */
export async function jsonOf<T>(response: Response): Promise<T> {
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
