import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { setConfig } from '../../src/config';
import { notReady, ready } from '../../src/core/readiness';
import { Participation } from '../../src/modules/counters/stats.model';
import { LIUAN, north, submitOk, transition, uploadPhoto } from './factories';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  setConfig({ OPEN311_API_KEYS: ['city-key-aaa', 'city-key-bbb'] });
});
afterAll(() => app.close());

const base = '/open311/v2';
async function get(path: string): Promise<{ status: number; type: string; text: string; json: any }> {
  const res = await fetch(app.baseUrl + base + path);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, text, json: type.includes('json') ? JSON.parse(text) : undefined };
}
async function post(path: string, form: Record<string, string>) {
  const res = await fetch(app.baseUrl + base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text,
    json: text.startsWith('[') || text.startsWith('{') ? JSON.parse(text) : undefined,
  };
}

const request = (extra: Record<string, string> = {}) => ({
  api_key: 'city-key-bbb',
  service_code: 'street-vending',
  lat: String(LIUAN.lat),
  long: String(LIUAN.lng),
  address_string: '柳岸路与湖滨路交叉口',
  description: '早高峰占道摆摊，影响通行',
  email: 'someone@example.com',
  first_name: '王',
  ...extra,
});

describe('Open311 GeoReport v2', () => {
  it('runs the whole flow: services → a service → post a request → list → get it', async () => {
    const services = await get('/services.json');
    expect(services.status).toBe(200);
    expect(services.json).toContainEqual(
      expect.objectContaining({
        service_code: 'street-vending',
        service_name: '占道经营',
        metadata: false,
        type: 'realtime',
        group: '市城市管理局（城管执法）',
      }),
    );

    const definition = await get('/services/street-vending.json');
    expect(definition.json).toEqual({ service_code: 'street-vending', attributes: [] });

    const created = await post('/requests.json', request());
    expect(created.status).toBe(201);
    expect(created.json).toEqual([
      {
        service_request_id: expect.stringMatching(/^T\d{6}[0-9A-Z]{6}$/),
        token: created.json[0].service_request_id,
        service_notice: '',
        account_id: null,
      },
    ]);
    const id = created.json[0].service_request_id;

    const listed = await get('/requests.json?service_code=street-vending');
    expect(listed.json.map((r: { service_request_id: string }) => r.service_request_id)).toContain(id);

    const one = await get(`/requests/${id}.json`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual([
      expect.objectContaining({
        service_request_id: id,
        status: 'open',
        status_notes: '待受理',
        service_code: 'street-vending',
        service_name: '占道经营',
        description: '早高峰占道摆摊，影响通行',
        agency_responsible: '市城市管理局（城管执法）',
        requested_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$/),
        updated_datetime: expect.stringMatching(/\+08:00$/),
        expected_datetime: null,
        address: '柳岸路与湖滨路交叉口',
        lat: LIUAN.lat,
        long: LIUAN.lng,
      }),
    ]);
    expect(one.text).not.toContain('someone@example.com');
  });

  it('shows the tip-off in the office console as reported by a city system, without points or participation', async () => {
    const created = await post('/requests.json', request({ lat: String(north(LIUAN, 2000).lat) }));
    const id = created.json[0].service_request_id;
    const office = await staffSession(app, 'office');
    const view = (await app.get(`/api/v1/tipoffs/${id}`, { token: office.token })).body;
    expect(view).toMatchObject({
      source: 'open311',
      reporter: null,
      photos: [],
      history: [{ action: 'submit', actor: { kind: 'open311', name: '城市系统（Open311）' } }],
    });
    const accepted = await transition(app, office.token, id, { action: 'accept' });
    expect(accepted.body.status).toBe('assigned');
    expect(await Participation.findById(`tipoff:${id}`).lean()).toBeNull();
  });

  it('follows the workflow: open until finished, then closed with notes and the expected time', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, { ...north(LIUAN, 4000) });
    const office = await staffSession(app, 'office');
    const unit = await staffSession(app, 'unit', 'hwc');
    await transition(app, office.token, t.id, { action: 'accept' });
    const open = (await get(`/requests/${t.id}.json`)).json[0];
    expect(open).toMatchObject({
      status: 'open',
      agency_responsible: '市环境卫生管理处',
      expected_datetime: expect.stringMatching(/\+08:00$/),
      media_url: '',
    });
    await transition(app, unit.token, t.id, { action: 'rectify', photos: [await uploadPhoto(app, unit.token)], note: '已清扫' });
    await transition(app, office.token, t.id, { action: 'close', note: '复查合格' });
    const closed = (await get(`/requests/${t.id}.json`)).json[0];
    expect(closed).toMatchObject({ status: 'closed', status_notes: '已办结：复查合格' });
    expect((await get('/requests.json?status=closed')).json.map((x: { service_request_id: string }) => x.service_request_id)).toContain(
      t.id,
    );
    expect((await get('/requests.json?status=open')).json.map((x: { service_request_id: string }) => x.service_request_id)).not.toContain(
      t.id,
    );
    expect((await get(`/requests.json?service_request_id=${t.id},T000000AAAAAA`)).json).toHaveLength(1);
  });

  it('answers in XML when the path ends in .xml', async () => {
    const services = await get('/services.xml');
    expect(services.type).toContain('text/xml');
    expect(services.text).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?><services><service><service_code>littering<\/service_code><service_name>乱扔垃圾<\/service_name>/,
    );
    const created = await post('/requests.xml', request({ description: '<b>占道</b> & 摆摊' }));
    expect(created.status).toBe(201);
    const id = /<service_request_id>(T\w+)<\/service_request_id>/.exec(created.text)![1];
    const one = await get(`/requests/${id}.xml`);
    expect(one.text).toContain(`<service_requests><request><service_request_id>${id}</service_request_id><status>open</status>`);
    expect(one.text).toContain('<description>&lt;b&gt;占道&lt;/b&gt; &amp; 摆摊</description>');
  });

  it('answers errors as Open311 error arrays', async () => {
    const badKey = await post('/requests.json', request({ api_key: 'wrong' }));
    expect(badKey.status).toBe(403);
    expect(badKey.json).toEqual([{ code: 403, description: 'api_key 无效' }]);
    const noKey = await post('/requests.json', request({ api_key: '' }));
    expect(noKey).toMatchObject({ status: 403, json: [{ code: 403, description: '缺少 api_key' }] });
    const badFields = await post('/requests.json', { api_key: 'city-key-aaa', service_code: 'littering', lat: 'north', long: 'east' });
    expect(badFields.status).toBe(400);
    expect(badFields.json.length).toBeGreaterThanOrEqual(2);
    for (const e of badFields.json) expect(e).toEqual({ code: 400, description: expect.stringMatching(/^(lat|long) /) });
    const unknownService = await post('/requests.json', request({ service_code: 'no-such' }));
    expect(unknownService.status).toBe(404);
    expect((await get('/services/no-such.json')).json).toEqual([{ code: 404, description: '服务 no-such 不存在' }]);
    expect((await get('/requests/T000000AAAAAA.json')).status).toBe(404);
    const xmlError = await get('/requests/T000000AAAAAA.xml');
    expect(xmlError.text).toMatch(
      /<errors><error><code>404<\/code><description>服务请求 T000000AAAAAA 不存在<\/description><\/error><\/errors>$/,
    );
    expect((await get('/nothing.json')).json).toEqual([{ code: 404, description: 'Open311 接口不存在' }]);
    const outside = await post('/requests.json', request({ lat: '39.9', long: '116.4' }));
    expect(outside.status).toBe(400);
    const halfPoint = await post('/requests.json', request({ long: '' }));
    expect(halfPoint.status).toBe(400);
    expect(halfPoint.json).toEqual([{ code: 400, description: expect.stringMatching(/^long /) }]);
    const nowhere = await post('/requests.json', request({ lat: '', long: '', address_string: '' }));
    expect(nowhere.status).toBe(400);
  });

  it('ignores a session token, which city systems do not have, and documents no 401', async () => {
    const res = await fetch(`${app.baseUrl}${base}/services.json`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(res.status).toBe(200);
    const doc = (await app.get('/api/v1/openapi.json')).body;
    expect(doc.paths['/open311/v2/services.{format}'].get.responses['401']).toBeUndefined();
    expect(doc.paths['/open311/v2/services.{format}'].get.responses['431'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
  });

  it('answers 404 with an Open311 error for an id it never issued, numeric or not, in JSON and XML', async () => {
    expect(await get('/requests/123456.json')).toMatchObject({ status: 404, json: [{ code: 404, description: '服务请求 123456 不存在' }] });
    const xml = await get('/requests/42.xml');
    expect(xml.status).toBe(404);
    expect(xml.text).toContain('<errors><error><code>404</code>');
    expect((await get('/services/x.json')).status).toBe(404);
    expect((await get('/tokens/nope.json')).status).toBe(404);
  });
});

describe('Open311 errors met before any Open311 route runs', () => {
  it('answers a corrupt or oversized body with an Open311 error array in the format of the path', async () => {
    const corrupt = await fetch(`${app.baseUrl}${base}/requests.xml`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' },
      body: 'xx',
    });
    expect([corrupt.status, corrupt.headers.get('content-type')]).toEqual([400, 'text/xml; charset=utf-8']);
    expect(await corrupt.text()).toMatch(
      /<errors><error><code>400<\/code><description>[^<]*Content-Encoding[^<]*<\/description><\/error><\/errors>$/,
    );
    const huge = await post('/requests.json', request({ description: '长'.repeat(200_000) }));
    expect(huge).toMatchObject({ status: 413, json: [{ code: 413, description: expect.any(String) }] });
  });

  it('answers while the service is starting with 503, Retry-After and an Open311 error array', async () => {
    notReady('正在启动：加载内容');
    try {
      const res = await fetch(`${app.baseUrl}${base}/services.xml`);
      expect([res.status, res.headers.get('content-type'), res.headers.get('retry-after')]).toEqual([503, 'text/xml; charset=utf-8', '5']);
      expect(await res.text()).toContain('<errors><error><code>503</code><description>正在启动：加载内容</description></error></errors>');
      expect(await get('/requests.json')).toMatchObject({ status: 503, json: [{ code: 503, description: '正在启动：加载内容' }] });
    } finally {
      ready();
    }
  });

  it('answers a method a path does not take with 405, Allow and an Open311 error array', async () => {
    const res = await fetch(`${app.baseUrl}${base}/services.json`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    expect(await res.json()).toEqual([{ code: 405, description: expect.stringContaining('DELETE') }]);
  });

  it('keeps the API error body for an over-long address, as documented for every route', async () => {
    const res = await get(`/services.json?x=${'a'.repeat(9_000)}`);
    expect(res).toMatchObject({ status: 414, json: { error: { code: 'URI_TOO_LONG' } } });
  });
});

describe('Open311 GeoReport v2: what the standard allows', () => {
  it('takes the api_key from the query string as well as from the body', async () => {
    const { api_key: key, ...form } = request({ lat: String(north(LIUAN, 300).lat) });
    const res = await fetch(`${app.baseUrl}${base}/requests.json?api_key=${key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    expect(res.status).toBe(201);
    const wrong = await fetch(`${app.baseUrl}${base}/requests.json?api_key=nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    expect(wrong.status).toBe(403);
  });

  it('places an address-only request in the community its address names, without coordinates', async () => {
    const created = await post('/requests.json', request({ lat: '', long: '', address_string: '明州市东湖区望湖社区 3 幢门口' }));
    expect(created.status).toBe(201);
    const id = created.json[0].service_request_id;
    expect((await get(`/requests/${id}.json`)).json[0]).toMatchObject({
      address: '明州市东湖区望湖社区 3 幢门口',
      lat: null,
      long: null,
      status: 'open',
    });
    const office = await staffSession(app, 'office');
    const view = (await app.get(`/api/v1/tipoffs/${id}`, { token: office.token })).body;
    expect(view).toMatchObject({
      regionCode: '330201001002',
      location: { lat: null, lng: null, address: '明州市东湖区望湖社区 3 幢门口' },
    });
  });

  it('keeps an address it cannot place unlocated, in the triage queue, until the office places it on accepting', async () => {
    const created = await post('/requests.xml', {
      api_key: 'city-key-aaa',
      service_code: 'littering',
      address_id: 'ADDR-77031',
      description: '路边垃圾',
    });
    expect(created.status).toBe(201);
    const id = /<service_request_id>(T\w+)<\/service_request_id>/.exec(created.text)![1]!;
    const office = await staffSession(app, 'office');
    const queue = (await app.get('/api/v1/tipoffs?status=submitted&limit=100', { token: office.token })).body;
    expect(queue.items.find((t: { id: string }) => t.id === id)).toMatchObject({
      regionCode: null,
      regionName: '未选择',
      location: { lat: null, lng: null, address: '地址编号 ADDR-77031' },
    });
    const wrongStep = await transition(app, office.token, id, { action: 'reject', note: '重复', regionCode: '330201001001' });
    expect(wrongStep.status).toBe(400);
    const placed = await transition(app, office.token, id, { action: 'accept', regionCode: '330201001003' });
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({
      status: 'assigned',
      regionCode: '330201001003',
      regionName: expect.stringContaining('荷花池社区'),
    });
    const inRegion = (await app.get('/api/v1/tipoffs?region=330201001003&limit=100', { token: office.token })).body;
    expect(inRegion.items.map((t: { id: string }) => t.id)).toContain(id);
  });

  it('accepts descriptions up to 4,000 characters', async () => {
    const long = '占'.repeat(4000);
    const created = await post('/requests.json', request({ lat: String(north(LIUAN, 600).lat), description: long }));
    expect(created.status).toBe(201);
    expect((await get(`/requests/${created.json[0].service_request_id}.json`)).json[0].description).toBe(long);
    expect((await post('/requests.json', request({ description: long + '占' }))).status).toBe(400);
  });

  it('filters by comma-separated statuses and service codes and by ISO-8601 dates or date-times', async () => {
    const a = (await post('/requests.json', request({ lat: String(north(LIUAN, 900).lat), service_code: 'littering' }))).json[0]
      .service_request_id;
    const b = (await post('/requests.json', request({ lat: String(north(LIUAN, 1200).lat), service_code: 'street-vending' }))).json[0]
      .service_request_id;
    const ids = async (q: string) => {
      const res = await get(`/requests.json?${q}`);
      expect(res.status).toBe(200);
      return res.json.map((r: { service_request_id: string }) => r.service_request_id);
    };
    expect(await ids('service_code=littering,street-vending')).toEqual(expect.arrayContaining([a, b]));
    expect(await ids('service_code=littering')).not.toContain(b);
    expect(await ids('status=open,closed&service_code=littering')).toContain(a);
    expect(await ids('status=closed&service_code=littering')).not.toContain(a);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(await ids(`start_date=${today}&end_date=${today}`)).toEqual(expect.arrayContaining([a, b]));
    expect(await ids('start_date=2020-01-01&end_date=2020-01-31')).toEqual([]);
    // a UTC date-time: midnight UTC of the UTC date is always before now (Beijing's date can be a day ahead)
    const utcToday = new Date().toISOString().slice(0, 10);
    expect(await ids(`start_date=${utcToday}T00:00:00Z`)).toContain(a);
    expect(await ids(`start_date=${today}T00:00`)).toContain(a);
    expect((await get('/requests.json?start_date=2026-02-30')).status).toBe(400);
    expect((await get('/requests.json?status=pending')).status).toBe(400);
  });

  it('publishes discovery in JSON and XML, and answers tokens', async () => {
    const discovery = await get('/discovery.json');
    expect(discovery.json).toMatchObject({
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${app.baseUrl}/open311/v2`,
          type: 'production',
          formats: ['application/json', 'text/xml'],
        },
      ],
    });
    const xml = await get('/discovery.xml');
    expect(xml.text).toContain('<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification>');
    expect(xml.text).toContain('<formats><format>application/json</format><format>text/xml</format></formats>');
    const created = await post('/requests.json', request({ lat: String(north(LIUAN, 1500).lat) }));
    const token = created.json[0].token;
    expect((await get(`/tokens/${token}.json`)).json).toEqual([{ service_request_id: created.json[0].service_request_id, token }]);
    expect((await get(`/tokens/${token}.xml`)).text).toContain(
      `<service_requests><request><service_request_id>${token}</service_request_id><token>${token}</token></request></service_requests>`,
    );
  });

  it('treats a double slash in the path as one', async () => {
    expect((await get('//services.json')).status).toBe(200);
    const res = await fetch(`${app.baseUrl}//open311//v2//requests.json?status=open`);
    expect(res.status).toBe(200);
  });
});
