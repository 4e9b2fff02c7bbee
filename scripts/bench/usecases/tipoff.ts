import type { Target } from '../target';
import { OPEN311_KEY } from '../servers';

/**
 * A tip-off without a photo. The resident API requires 1–3 photos (whose re-encoding would dominate
 * any measurement), so this is the photo-less path city systems use: Open311 POST requests.json.
 */
export const tipoffTarget: Target = {
  id: 'tipoff-open311',
  label: 'tip-off without photo (POST /open311/v2/requests.json)',
  server: 'service',
  okStatus: 201,
  baseline: 'koa-insert',
  minRatio: 0.6,
  requires: ['GET /open311/v2/services.{format}', 'POST /open311/v2/requests.{format}'],
  prepare: async ({ client }) => {
    const services = await client.expect<Array<{ service_code: string }>>(200, 'GET', '/open311/v2/services.json');
    let i = 0;
    return () => {
      i++;
      // Spread over the city's centre (about 4 × 4 km), so the nearby-duplicate cells differ.
      const body = new URLSearchParams({
        api_key: OPEN311_KEY,
        service_code: services[i % services.length]!.service_code,
        lat: (29.85 + ((i * 7919) % 400) / 10_000).toFixed(5),
        long: (121.54 + ((i * 104_729) % 400) / 10_000).toFixed(5),
        description: '人行道上有车辆违停，影响通行',
      }).toString();
      return { method: 'POST', path: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
    };
  },
};
