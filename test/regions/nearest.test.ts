import { useTestApp } from '../harness/app';
import { north, WANGHU } from '../tipoffs/factories';

/** GET /api/v1/regions/nearest: a located point named as a place residents know. */
const app = useTestApp();

describe('the place of a located point', () => {
  it('names the nearest community, its street and district, and the distance from its centre in metres', async () => {
    const p = north(WANGHU, 320);
    const res = await app.get(`/api/v1/regions/nearest?lat=${p.lat}&lng=${p.lng}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      community: { code: '330201001002', name: '望湖社区' },
      street: { code: '330201001', name: '湖滨街道' },
      district: { code: '330201', name: '东湖区' },
      distanceMeters: 320,
    });
  });

  it('answers 404 with what to do for a point outside the city', async () => {
    const res = await app.get('/api/v1/regions/nearest?lat=31.2304&lng=121.4737');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: '该位置不在本市范围内，请确认定位或手动选择社区' });
  });

  it('refuses a point that is not one, naming the field', async () => {
    const res = await app.get('/api/v1/regions/nearest?lat=abc&lng=121.5');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.error.details)).toContain('lat');
  });

  it('is documented in the OpenAPI with its query and the 404', async () => {
    const op = (await app.get('/api/v1/openapi.json')).body.paths['/api/v1/regions/nearest'].get;
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['lat', 'lng']));
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '404']));
  });
});
