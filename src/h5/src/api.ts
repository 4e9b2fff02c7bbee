import { showFailToast } from 'vant';

/**
 * The one way pages talk to the service: same-origin fetch (the httpOnly `wm_session` cookie goes
 * along), JSON in and out, and the API's error body `{error: {code, message, details}}` turned into
 * an ApiError whose Chinese message is shown as a toast (unless the caller asks for `silent`).
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  /** don't toast the error: the caller handles it (e.g. the 401 of the session bootstrap) */
  silent?: boolean;
  /** for POSTs that create participation: a retry with the same key creates nothing new */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

/** Validation errors name each field; a person wants the field messages, not the paths. */
function messageOf(body: ErrorBody, status: number): string {
  const e = body.error;
  const details = Array.isArray(e?.details) ? (e.details as { message?: unknown }[]) : [];
  const fieldMessages = details.map((d) => d.message).filter((m): m is string => typeof m === 'string');
  if (e?.code === 'VALIDATION_FAILED' && fieldMessages.length) return fieldMessages.join('；');
  if (e?.message) return e.message;
  return status >= 500 ? '服务器开小差了，请稍后再试' : `请求失败（${status}）`;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let payload: BodyInit | undefined;
  if (body instanceof FormData)
    payload = body; // multipart: the browser sets the boundary
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: opts.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    const e = new ApiError('网络异常，请检查网络后重试', 0, 'NETWORK');
    if (!opts.silent) showFailToast(e.message);
    throw e;
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const errBody = (data ?? {}) as ErrorBody;
    const e = new ApiError(messageOf(errBody, res.status), res.status, errBody.error?.code ?? 'HTTP_' + res.status, errBody.error?.details);
    if (!opts.silent) showFailToast(e.message);
    throw e;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body: unknown = {}, opts?: RequestOptions) => request<T>('POST', path, body, opts),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
  del: <T = void>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};

/**
 * A fresh Idempotency-Key. crypto.randomUUID needs a secure context, which a LAN test over
 * plain HTTP is not; getRandomValues works everywhere.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
