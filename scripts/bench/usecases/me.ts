import type { Target } from '../target';
import { bearer, residents } from './fixtures';

/** GET /api/v1/me: a signed-in resident's points and participation (the HTTP side of the bot comparison). */
export const meTarget: Target = {
  id: 'me',
  label: 'resident 我的 (GET /api/v1/me)',
  server: 'service',
  okStatus: 200,
  prepare: async ({ client }) => {
    const rs = await residents(client, 50);
    let i = 0;
    return () => ({ method: 'GET', path: '/api/v1/me', headers: bearer(rs[i++ % rs.length]!.token) });
  },
};

/** GET /healthz through the whole middleware chain: what the service's Koa stack costs per request. */
export const healthTarget: Target = {
  id: 'healthz',
  label: 'service GET /healthz (middleware chain)',
  server: 'service',
  okStatus: 200,
  baseline: 'koa-router',
  prepare: async () => () => ({ method: 'GET', path: '/healthz' }),
};
