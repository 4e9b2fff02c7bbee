import { useTestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';

const app = useTestApp();

describe('health', () => {
  it('answers /healthz while the process runs', async () => {
    const res = await app.get('/healthz');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers /readyz 200 when the database answers', async () => {
    expect((await app.get('/readyz')).status).toBe(200);
  });
});

describe('error body', () => {
  it('returns 404 NOT_FOUND in Chinese for an unknown route, with a request id', async () => {
    const res = await app.get('/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
  });

  it('echoes a well-formed incoming X-Request-Id', async () => {
    const res = await app.get('/healthz', { headers: { 'x-request-id': 'abc-12345678' } });
    expect(res.headers.get('x-request-id')).toBe('abc-12345678');
  });

  it('rejects a body that is not JSON with INVALID_JSON', async () => {
    const res = await app.request('POST', '/api/v1/staff/sessions', undefined, {
      raw: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_JSON');
  });

  it('names each bad field in VALIDATION_FAILED details', async () => {
    const res = await app.post('/api/v1/staff/sessions', { username: 42 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['password', 'username']);
  });

  it('treats operator objects as plain (invalid) values, never as query operators', async () => {
    const res = await app.post('/api/v1/staff/sessions', { username: { $gt: '' }, password: { $ne: null } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a JSON body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await app.post('/api/v1/staff/sessions', { username: 'x', password: 'y'.repeat(400_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('never returns a stack trace', async () => {
    const res = await app.request('POST', '/api/v1/staff/sessions', undefined, {
      raw: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('access', () => {
  it('answers 401 UNAUTHENTICATED without a token and with a forged one', async () => {
    expect((await app.get('/api/v1/me')).body.error.code).toBe('UNAUTHENTICATED');
    expect((await app.get('/api/v1/me', { token: 'eyJhbGciOiJIUzI1NiJ9.e30.bad' })).status).toBe(401);
  });

  it('answers 403 FORBIDDEN to a resident on an admin endpoint and to office staff creating staff', async () => {
    const resident = await residentSession(app);
    const office = await staffSession(app, 'office');
    const body = { username: 'someone', password: 'password-1', role: 'office' };
    expect((await app.post('/api/v1/staff', body, { token: resident.token })).body.error.code).toBe('FORBIDDEN');
    expect((await app.post('/api/v1/staff', body, { token: office.token })).status).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('publishes every route with its request schema', async () => {
    const res = await app.get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.0.3');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/me', '/api/v1/regions', '/api/v1/staff/sessions', '/healthz']),
    );
    expect(res.body.paths['/api/v1/staff'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['username', 'password', 'role']),
    );
  });

  it('documents every status and content type a route answers, Open311 included', async () => {
    const { paths } = (await app.get('/api/v1/openapi.json')).body;
    const run = paths['/api/v1/admin/jobs/{name}/run'].post.responses;
    expect(Object.keys(run)).toEqual(expect.arrayContaining(['201', '202', '400', '401', '403', '404', '409', '431', '500', '503']));
    expect(run['202'].content['application/json'].schema.properties.status).toBeDefined();
    expect(run['431'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    const list = paths['/open311/v2/requests.{format}'].get.responses;
    expect(Object.keys(list['200'].content)).toEqual(['application/json', 'text/xml']);
    expect(list['200'].content['text/xml'].schema).toEqual({ type: 'string' });
    expect(list['404'].content['application/json'].schema).toMatchObject({
      type: 'array',
      items: { properties: { code: { type: 'integer' }, description: { type: 'string' } } },
    });
    expect(Object.keys(paths['/open311/v2/requests.{format}'].post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '403', '404', '429']),
    );
    expect(paths['/api/v1/sessions/miniprogram'].post.responses['503']).toBeDefined();
    expect(paths['/api/v1/sessions/anonymous'].post.requestBody.required).toBe(false);
    expect(paths['/api/v1/tipoffs'].get.parameters.find((p: { name: string }) => p.name === 'overdue').schema).toMatchObject({
      type: 'boolean',
    });
  });
});
