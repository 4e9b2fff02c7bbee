import net from 'node:net';
import zlib from 'node:zlib';
import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';

let app: TestApp;
let resident: { token: string; id: string };
let office: { token: string };
beforeAll(async () => {
  app = await startTestApp();
  resident = await residentSession(app);
  office = await staffSession(app, 'office');
});
afterAll(() => app.close());

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes as they are (methods fetch forbids, headers over Node's limit) and reads the answer. */
function raw(request: string): Promise<RawResponse> {
  const { port } = new URL(app.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(request));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (data += c));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

const errorCode = (r: RawResponse) => (JSON.parse(r.body) as { error: { code: string } }).error.code;

describe('compressed request bodies', () => {
  it.each(['deflate', 'gzip', 'br'])('answers 400 INVALID_ENCODING to a corrupt %s body, before any login', async (encoding) => {
    const res = await app.request('POST', '/api/v1/staff/sessions', undefined, {
      raw: 'xx',
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_ENCODING');
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('answers 415 UNSUPPORTED_ENCODING to an encoding it does not know', async () => {
    const res = await app.request('POST', '/api/v1/staff/sessions', undefined, {
      raw: 'xx',
      headers: { 'content-type': 'application/json', 'content-encoding': 'compress' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_ENCODING');
  });

  it('still reads a well-formed gzip body', async () => {
    const body = zlib.gzipSync(JSON.stringify({ username: 'nobody', password: 'wrong-password' }));
    const res = await app.request('POST', '/api/v1/staff/sessions', undefined, {
      raw: body,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(401);
  });
});

describe('content types', () => {
  it('refuses a JSON route given text/plain with 415 UNSUPPORTED_MEDIA_TYPE, and changes nothing', async () => {
    const res = await app.request('PATCH', '/api/v1/me', undefined, {
      token: resident.token,
      raw: JSON.stringify({ nickname: '改了' }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await app.get('/api/v1/me', { token: resident.token })).body.nickname).not.toBe('改了');
  });

  it('refuses a JSON route given a form or a body without a Content-Type', async () => {
    const form = await app.request('POST', '/api/v1/staff/sessions', undefined, {
      raw: 'username=a&password=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const untyped = await app.request('POST', '/api/v1/staff/sessions', undefined, { raw: new Blob(['{"username":"a"}']) });
    expect(untyped.status).toBe(415);
  });

  it('accepts a JSON route with charset parameters and an empty POST without a Content-Type', async () => {
    const typed = await app.request('PATCH', '/api/v1/me', undefined, {
      token: resident.token,
      raw: JSON.stringify({ nickname: '小明' }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(typed).toMatchObject({ status: 200, body: { nickname: '小明' } });
    const empty = await app.request('POST', '/api/v1/sessions/anonymous');
    expect(empty.status).toBe(201);
  });

  it('keeps Open311 form-encoded and refuses it JSON', async () => {
    const json = await app.request('POST', '/open311/v2/requests.json', undefined, {
      raw: JSON.stringify({ service_code: 'x' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(415);
    const form = await app.request('POST', '/open311/v2/requests.json', undefined, {
      raw: 'service_code=no-such&lat=29.87&long=121.55',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).not.toBe(415);
    expect(form.status).toBeLessThan(500);
  });

  it('refuses a tip-off that is neither multipart nor JSON', async () => {
    const res = await app.request('POST', '/api/v1/tipoffs', undefined, {
      token: resident.token,
      raw: 'description=hi',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
  });
});

describe('malformed multipart on every upload route', () => {
  const boundary = 'wmBoundary';
  const malformed = [
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nthis line is no header\r\n\r\nx\r\n--${boundary}--\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\nunterminated`,
    `no boundary at all`,
  ];
  const routes = () => [
    { path: '/api/v1/quizzes/any-quiz/questions:import', token: office.token },
    { path: '/api/v1/media', token: resident.token },
    { path: '/api/v1/tipoffs', token: resident.token },
    { path: '/api/v1/tipoffs/T261201ABCDEF/transitions', token: office.token },
    { path: '/api/v1/regions/populations:import', token: office.token },
  ];

  it('answers 400 INVALID_MULTIPART, never 500', async () => {
    const seen: string[] = [];
    for (const { path, token } of routes())
      for (const body of malformed) {
        const res = await app.request('POST', path, undefined, {
          token,
          raw: body,
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        });
        seen.push(`${path} ${res.status} ${res.body.error?.code}`);
      }
    expect(seen.filter((s) => !s.endsWith(' 400 INVALID_MULTIPART'))).toEqual([]);
  });

  it('refuses a compressed multipart body with 415 UNSUPPORTED_ENCODING', async () => {
    for (const { path, token } of routes()) {
      const res = await app.request('POST', path, undefined, {
        token,
        raw: zlib.gzipSync(malformed[0]!),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-encoding': 'gzip' },
      });
      expect([path, res.status, res.body.error.code]).toEqual([path, 415, 'UNSUPPORTED_ENCODING']);
    }
  });
});

describe('oversized requests', () => {
  it('answers 414 URI_TOO_LONG as JSON to a URL over 8 KB', async () => {
    const res = await app.get(`/api/v1/regions?x=${'a'.repeat(10_000)}`);
    expect(res.status).toBe(414);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body.error.code).toBe('URI_TOO_LONG');
  });

  it('answers 414 to a request line longer than the header limit', async () => {
    const res = await raw(`GET /api/v1/regions?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(res.status).toBe(414);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(errorCode(res)).toBe('URI_TOO_LONG');
  });

  it('answers 431 HEADERS_TOO_LARGE with a JSON body and content-type to oversized headers', async () => {
    const res = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(errorCode(res)).toBe('HEADERS_TOO_LARGE');
  });
});

describe('unknown methods', () => {
  it.each(['TRACE', 'PROPFIND', 'MKCOL', 'PURGE'])(
    'answers %s on an existing path with 405 and Allow, on an unknown one with 404',
    async (method) => {
      const known = await raw(`${method} /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(known.status).toBe(405);
      expect(known.headers.allow).toContain('PATCH');
      expect(errorCode(known)).toBe('METHOD_NOT_ALLOWED');
      const unknown = await raw(`${method} /no/such/path HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(unknown.status).toBe(404);
      expect(errorCode(unknown)).toBe('NOT_FOUND');
    },
  );

  it('answers a method the HTTP parser does not know with 405 and a JSON body', async () => {
    const res = await raw(`FOO\u0001BAR /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(res.status).toBe(405);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(errorCode(res)).toBe('METHOD_NOT_ALLOWED');
  });

  it.each(['localhost:80', '/api/v1/me'])(
    'answers CONNECT %s with 405 and a JSON body instead of dropping the connection',
    async (target) => {
      const res = await raw(`CONNECT ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(res.status).toBe(405);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers.allow).toContain('GET');
      expect(errorCode(res)).toBe('METHOD_NOT_ALLOWED');
    },
  );

  it('answers PUT on a GET-only route with 405 naming the allowed methods, and OPTIONS with 204', async () => {
    const put = await app.request('PUT', '/api/v1/regions', {});
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toContain('GET');
    const options = await app.request('OPTIONS', '/api/v1/regions');
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toContain('GET');
  });
});

describe('OpenAPI', () => {
  it('documents the body refusals of a JSON route and of an upload route', async () => {
    const doc = (await app.get('/api/v1/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/v1/me'].patch.responses)).toEqual(expect.arrayContaining(['400', '413', '415']));
    expect(doc.paths['/api/v1/media'].post.responses['400'].description).toContain('INVALID_MULTIPART');
  });
});
