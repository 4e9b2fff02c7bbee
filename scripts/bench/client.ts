/** A small JSON client for preparing fixtures through the service's own HTTP API. */
export interface Reply<T = any> {
  status: number;
  body: T;
}

export class Client {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: payload });
    const text = await res.text();
    return { status: res.status, body: (text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text) as T };
  }

  /** Like request, but throws unless the status is the expected one. */
  async expect<T = any>(status: number, method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const r = await this.request<T>(method, path, body, token);
    if (r.status !== status)
      throw new Error(`${method} ${path} → ${r.status} (expected ${status}): ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  }

  /** The paths the service publishes, "METHOD /path/{param}". */
  async operations(): Promise<Set<string>> {
    const spec = await this.expect<{ paths: Record<string, Record<string, unknown>> }>(200, 'GET', '/api/v1/openapi.json');
    return new Set(Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
  }
}

/** Runs fn over 0..n-1 with at most `concurrency` at a time; results in order. */
export async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return out;
}
