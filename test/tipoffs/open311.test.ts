import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { setConfig } from '../../src/config';
import { Participation } from '../../src/modules/stats/stats.model';
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
  const res = await fetch(app.baseUrl + base + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: text.startsWith('[') || text.startsWith('{') ? JSON.parse(text) : undefined };
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
    expect(services.json).toContainEqual(expect.objectContaining({ service_code: 'street-vending', service_name: '占道经营', metadata: false, type: 'realtime', group: '市城市管理局（城管执法）' }));

    const definition = await get('/services/street-vending.json');
    expect(definition.json).toEqual({ service_code: 'street-vending', attributes: [] });

    const created = await post('/requests.json', request());
    expect(created.status).toBe(201);
    expect(created.json).toEqual([{ service_request_id: expect.stringMatching(/^T\d{6}[0-9A-Z]{6}$/), service_notice: '', account_id: null }]);
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
    expect(view).toMatchObject({ source: 'open311', reporter: null, photos: [], history: [{ action: 'submit', actor: { kind: 'open311', name: '城市系统（Open311）' } }] });
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
    expect(open).toMatchObject({ status: 'open', agency_responsible: '市环境卫生管理处', expected_datetime: expect.stringMatching(/\+08:00$/), media_url: '' });
    await transition(app, unit.token, t.id, { action: 'rectify', photos: [await uploadPhoto(app, unit.token)], note: '已清扫' });
    await transition(app, office.token, t.id, { action: 'close', note: '复查合格' });
    const closed = (await get(`/requests/${t.id}.json`)).json[0];
    expect(closed).toMatchObject({ status: 'closed', status_notes: '已办结：复查合格' });
    expect((await get('/requests.json?status=closed')).json.map((x: { service_request_id: string }) => x.service_request_id)).toContain(t.id);
    expect((await get('/requests.json?status=open')).json.map((x: { service_request_id: string }) => x.service_request_id)).not.toContain(t.id);
    expect((await get(`/requests.json?service_request_id=${t.id},T000000AAAAAA`)).json).toHaveLength(1);
  });

  it('answers in XML when the path ends in .xml', async () => {
    const services = await get('/services.xml');
    expect(services.type).toContain('text/xml');
    expect(services.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><services><service><service_code>littering<\/service_code><service_name>乱扔垃圾<\/service_name>/);
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
    expect(noKey.status).toBe(400);
    const badFields = await post('/requests.json', { api_key: 'city-key-aaa', service_code: 'littering', lat: 'north' });
    expect(badFields.status).toBe(400);
    expect(badFields.json.length).toBeGreaterThanOrEqual(2);
    for (const e of badFields.json) expect(e).toEqual({ code: 400, description: expect.stringMatching(/^(lat|long) /) });
    const unknownService = await post('/requests.json', request({ service_code: 'no-such' }));
    expect(unknownService.status).toBe(404);
    expect((await get('/services/no-such.json')).json).toEqual([{ code: 404, description: '服务 no-such 不存在' }]);
    expect((await get('/requests/T000000AAAAAA.json')).status).toBe(404);
    const xmlError = await get('/requests/T000000AAAAAA.xml');
    expect(xmlError.text).toMatch(/<errors><error><code>404<\/code><description>服务请求 T000000AAAAAA 不存在<\/description><\/error><\/errors>$/);
    expect((await get('/nothing.json')).json).toEqual([{ code: 404, description: 'Open311 接口不存在' }]);
    const outside = await post('/requests.json', request({ lat: '39.9', long: '116.4' }));
    expect(outside.status).toBe(400);
  });
});
