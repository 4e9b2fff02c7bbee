import path from 'node:path';
import { setConfig } from '../../src/config';
import { startTestApp, type TestApp } from '../harness/app';
import { requireVenv, run, venvBin } from './python';

/**
 * A real GeoReport v2 client from PyPI (georeport, pinned in requirements.txt) against the running
 * service, as a city system would use it: services, a definition, a new request, the list, one request.
 */
let app: TestApp;
beforeAll(async () => {
  requireVenv();
  app = await startTestApp();
  setConfig({ OPEN311_API_KEYS: ['python-client-key'] });
});
afterAll(() => app?.close());

async function drive(format: 'json' | 'xml') {
  const res = await run(
    venvBin('python'),
    [path.join(__dirname, 'open311_client.py'), `${app.baseUrl}/open311/v2`, 'python-client-key', format],
    { timeoutMs: 60_000 },
  );
  if (res.code !== 0) throw new Error(`open311_client.py ${format} exited ${res.code}:\n${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!);
}

describe('Open311 with the georeport Python client', () => {
  it.each(['json', 'xml'] as const)('services, a definition, a new request, lists and one request work in %s', async (format) => {
    const seen = await drive(format);
    expect(seen.services).toBeGreaterThan(3);
    expect(seen.definition_code).toBe(seen.first_code);
    expect(seen.created).toMatch(/^T\d{6}[0-9A-Z]{6}$/);
    expect(seen.created_type).toContain(format === 'json' ? 'application/json' : 'text/xml');
    expect(seen.address_only_status).toBe(201);
    expect(seen.one).toMatchObject({
      service_request_id: seen.created,
      status: 'open',
      service_code: seen.first_code,
      address: '柳岸路 8 号',
    });
    // XML carries numbers as text
    expect(Number(seen.one.lat)).toBeCloseTo(29.8735, 4);
    expect(seen.one_description_length).toBeGreaterThan(1000);
    expect(seen.listed_contains).toBe(true);
    expect(seen.by_ids).toEqual([seen.created]);
    expect(seen.missing_status).toBe(404);
    expect(seen.missing_body).toContain('404');
    expect(seen.discovery_status).toBe(200);
    expect(seen.discovery_has_endpoint).toBe(true);
    expect(seen.token_status).toBe(200);
    expect(seen.token_has_id).toBe(true);
  });
});
